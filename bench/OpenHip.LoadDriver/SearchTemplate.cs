namespace OpenHip.LoadDriver;

/// <summary>One query shape of issue #4's performance section, its p95 target and the concrete queries to time.</summary>
internal sealed record SearchTemplate(string Name, string Type, string Shape, double TargetP95Ms, IReadOnlyList<KeyValuePair<string, string>[]> Samples)
{
    public static IReadOnlyList<SearchTemplate> All(SearchValues values, int samples, Random random)
    {
        PatientFacts[] named = [.. values.Patients.Where(p => p.Family is not null && p.BirthDate is not null)];
        PatientFacts[] managed = [.. values.Patients.Where(p => p.OrganizationId is not null && values.OrganizationNames.ContainsKey(p.OrganizationId))];
        return
        [
            new("T1", "Observation", "Observation?patient=Patient/X&code=http://loinc.org|Y&_sort=-date", 20,
                Draw(values.PatientCodes, samples, random, v => Query(("patient", "Patient/" + v.PatientId), ("code", "http://loinc.org|" + v.Code), ("_sort", "-date")))),
            new("T2", "Patient", "Patient?name=F&birthdate=D", 20,
                Draw(named, samples, random, p => Query(("name", p.Family!), ("birthdate", p.BirthDate!)))),
            new("T3", "Observation", "Observation?code=Y&date=geD&_count=50", 50,
                Draw(values.CodeDays, samples, random, v => Query(("code", v.Code), ("date", "ge" + v.Day), ("_count", "50")))),
            new("T4", "Observation", "Observation?subject:Patient.organization.name=N&_count=50", 100,
                Draw(managed, samples, random, p => Query(("subject:Patient.organization.name", values.OrganizationNames[p.OrganizationId!]), ("_count", "50")))),
            new("T5", "Patient", "Patient?_id=X&_revinclude=Observation:subject", 100,
                Draw(values.PatientCodes, samples, random, v => Query(("_id", v.PatientId), ("_revinclude", "Observation:subject")))),
            new("T5b", "Patient", "Patient?name=F&_revinclude=Encounter:subject&_count=20", 100,
                Draw(named, samples, random, p => Query(("name", p.Family!), ("_revinclude", "Encounter:subject"), ("_count", "20")))),
        ];
    }

    /// <summary>The shape with the values of <paramref name="sample"/>, for display.</summary>
    public static string Display(string type, IEnumerable<KeyValuePair<string, string>> sample) =>
        type + "?" + string.Join('&', sample.Select(p => p.Key + "=" + p.Value));

    // Drawn with replacement: common values (a frequent code, a large organization) come up as often as they occur.
    private static KeyValuePair<string, string>[][] Draw<T>(IReadOnlyList<T> source, int samples, Random random, Func<T, KeyValuePair<string, string>[]> query) =>
        source.Count == 0 ? [] : [.. Enumerable.Range(0, samples).Select(_ => query(source[random.Next(source.Count)]))];

    private static KeyValuePair<string, string>[] Query(params (string Name, string Value)[] parameters) =>
        [.. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))];
}
