using Hl7.Fhir.Model;

namespace OpenHip.Modules.Mpi.Features.Linking;

/// <summary>
/// The golden Person's demographics from its members, field by field by the configured rules. Deterministic in the
/// members' content (ties fall to recency, then id), so recomputing it for unchanged members writes nothing.
/// </summary>
internal static class Survivorship
{
    public static void Apply(Person person, IReadOnlyList<MemberPatient> members, SurvivorshipOptions rules)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(rules);
        person.Active = true;
        person.Name = [.. Pick(members, rules.Name, rules, p => p.Name.Count > 0 ? Key(p.Name.Select(n => $"{n.Use}|{n.Text}|{n.Family}|{string.Join(' ', n.Given)}")) : null)?.Name.Select(n => (HumanName)n.DeepCopy()) ?? []];
        person.Gender = Pick(members, rules.Gender, rules, p => p.Gender?.ToString())?.Gender;
        person.BirthDate = Pick(members, rules.BirthDate, rules, p => p.BirthDate)?.BirthDate;
        person.Telecom = [.. Pick(members, rules.Telecom, rules, p => p.Telecom.Count > 0 ? Key(p.Telecom.Select(t => $"{t.System}|{t.Value}")) : null)?.Telecom.Select(t => (ContactPoint)t.DeepCopy()) ?? []];
        person.Address = [.. Pick(members, rules.Address, rules, p => p.Address.Count > 0 ? Key(p.Address.Select(AddressKey)) : null)?.Address.Select(a => (Address)a.DeepCopy()) ?? []];

        // Every member's identifiers, once each, in a stable order: PIXm and identifier search read them here.
        person.Identifier = [.. members
            .SelectMany(m => m.Patient.Identifier)
            .Where(i => !string.IsNullOrEmpty(i.Value))
            .DistinctBy(i => (i.System, i.Value))
            .OrderBy(i => i.System, StringComparer.Ordinal)
            .ThenBy(i => i.Value, StringComparer.Ordinal)
            .Select(i => new Identifier(i.System, i.Value) { Type = (CodeableConcept?)i.Type?.DeepCopy() })];
    }

    /// <summary>The member whose value of a field survives, or null when no member has the field.</summary>
    public static Patient? Pick(IReadOnlyList<MemberPatient> members, SurvivorshipRule rule, SurvivorshipOptions rules, Func<Patient, string?> value)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(value);
        List<(MemberPatient Member, string Value)> having = [.. members
            .Select(m => (Member: m, Value: value(m.Patient)))
            .Where(m => m.Value is not null)
            .Select(m => (m.Member, m.Value!))
            .OrderByDescending(m => m.Member.LastUpdated)
            .ThenBy(m => m.Member.Patient.Id, StringComparer.Ordinal)];
        if (having.Count == 0)
        {
            return null;
        }

        return rule switch
        {
            SurvivorshipRule.MostFrequent => having
                .GroupBy(m => m.Value, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenByDescending(g => g.First().Member.LastUpdated)
                .ThenBy(g => g.First().Member.Patient.Id, StringComparer.Ordinal)
                .First().First().Member.Patient,
            SurvivorshipRule.SourcePriority => having
                .OrderBy(m => Rank(m.Member.Patient, rules.SourcePriority))
                .First().Member.Patient,
            _ => having[0].Member.Patient,
        };
    }

    private static int Rank(Patient patient, IReadOnlyList<string> priority)
    {
        string? source = patient.Meta?.Source;
        for (int i = 0; i < priority.Count; i++)
        {
            if (string.Equals(priority[i], source, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return priority.Count;
    }

    /// <summary>One text for a list of element keys: two members "share" a value when these agree.</summary>
    private static string Key(IEnumerable<string> parts) => string.Join("\u001f", parts);

    private static string AddressKey(Address a) =>
        $"{a.GetExtensionValue<Code>(MatchPatient.PatientDemographics.DivisionCodeExtension)?.Value}|{string.Join('/', a.Line)}|{a.District}|{a.City}|{a.State}|{a.PostalCode}";
}
