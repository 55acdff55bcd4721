using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenHip.Modules.Security.Tests.Attacks;

/// <summary>The callers of the attack suite; each holds a real token (see <see cref="AttackFixture"/>).</summary>
public static class Caller
{
    /// <summary>Resident A through the code flow: <c>launch/patient patient/*.rs</c>.</summary>
    public const string Patient = "patient";

    /// <summary>Resident A with <c>patient/*.cruds</c>, for the write attacks.</summary>
    public const string PatientWriter = "patientWriter";

    /// <summary>Resident A with the granular <c>patient/Observation.rs?category=...|laboratory</c> only.</summary>
    public const string LabOnly = "labOnly";

    /// <summary>A practitioner (<c>doctor1</c>) with <c>user/*.rs</c>.</summary>
    public const string Practitioner = "practitioner";

    /// <summary>A backend client with <c>system/Patient.rs</c> only.</summary>
    public const string Registry = "registry";

    /// <summary>A backend client with <c>system/Observation.rs</c> only.</summary>
    public const string LabFeed = "labFeed";

    /// <summary>Hospital A's backend client, <c>system/*.cruds</c> (seeding).</summary>
    public const string HospitalA = "hospitalA";

    /// <summary>Hospital B's backend client, <c>system/*.cruds</c> (seeding and verification).</summary>
    public const string HospitalB = "hospitalB";
}

/// <summary>The seeded data and the leak markers.</summary>
public static class Attack
{
    public const string A = "atk-a";
    public const string B = "atk-b";
    public const string FamilyA = "Amundsen";
    public const string FamilyB = "Zyxwerth";
    public const string Missing = "atk-none";

    /// <summary>Codes only resident B's records carry.</summary>
    public const string LabCodeB = "718-7";
    public const string LabCodeA = "2345-7";
    public const string ConditionCodeB = "195967001";
    public const string ConditionCodeA = "44054006";

    /// <summary>Resident A's report whose results name A's and B's lab Observation (a misfiled reference).</summary>
    public const string CrossReport = "atk-a-xref";

    /// <summary>The record kinds each resident has, with the id suffix of their record of that kind.</summary>
    public static readonly IReadOnlyList<(string Type, string Suffix)> Kinds =
    [
        ("Patient", string.Empty),
        ("Observation", "-lab"),
        ("Condition", "-cond"),
        ("Encounter", "-enc"),
        ("MedicationRequest", "-medrq"),
        ("AllergyIntolerance", "-allergy"),
        ("Immunization", "-imm"),
        ("Procedure", "-proc"),
        ("DiagnosticReport", "-report"),
        ("CarePlan", "-careplan"),
        ("DocumentReference", "-doc"),
    ];

    public static string Id(string resident, string type) => resident + Kinds.Single(k => k.Type == type).Suffix;

    public static string Ref(string resident, string type) => type + "/" + Id(resident, type);

    /// <summary>
    /// Markers of resident B's data in a response: any resource with one of B's ids, any reference into B's compartment,
    /// B's family name. The body is normalised first (compact JSON, Bundle links — which echo the request — removed).
    /// </summary>
    public static readonly string[] ResidentBMarkers = ["\"id\":\"atk-b", "Patient/atk-b", FamilyB];

    /// <summary>Markers of resources of the given types (for backend clients, whose foreign data is the types they hold no scope for).</summary>
    public static string[] TypeMarkers(params string[] types) => [.. types.Select(t => $"\"resourceType\":\"{t}\"")];

    public static readonly string[] NonPatientTypes = [.. Kinds.Select(k => k.Type).Where(t => t != "Patient")];

    public static readonly string[] NonObservationTypes = [.. Kinds.Select(k => k.Type).Where(t => t != "Observation")];

    /// <summary>The body as compact JSON without Bundle.link (self links echo the query, which may name B's ids).</summary>
    public static string Normalise(string body)
    {
        if (body.Length == 0 || (body[0] != '{' && body[0] != '['))
        {
            return body;
        }

        JsonNode? node = JsonNode.Parse(body);
        Strip(node);
        return node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? string.Empty;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if ((string?)obj["resourceType"] == "Bundle")
                {
                    obj.Remove("link");
                }

                // A not-found issue names what was asked for, exactly as for an id that does not exist (the oracle cases prove it).
                if (obj["code"] is JsonValue code && code.TryGetValue(out string? text) && text == "not-found")
                {
                    obj.Remove("diagnostics");
                }

                foreach (KeyValuePair<string, JsonNode?> property in obj.ToList())
                {
                    Strip(property.Value);
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Strip(item);
                }

                break;
        }
    }

    public static void AssertNoLeak(string body, IEnumerable<string> markers, string context)
    {
        string normalised = Normalise(body);
        foreach (string marker in markers)
        {
            Assert.False(normalised.Contains(marker, StringComparison.Ordinal), $"{context}: response contains {marker}: {Shorten(normalised)}");
        }
    }

    public static string Shorten(string text) => text.Length <= 1500 ? text : text[..1500] + "...";

    /// <summary>Ids of the resources in a Bundle's entries (searchset, history) in order.</summary>
    public static List<string> EntryIds(string body) =>
        [.. (JsonNode.Parse(body)!["entry"]?.AsArray() ?? []).Select(e => $"{e!["resource"]?["resourceType"]}/{e["resource"]?["id"]}")];

    public static int? Total(string body) => (int?)JsonNode.Parse(body)!["total"];

    public static string DirectoryBundle() => Transaction(
    [
        """{"resourceType":"Organization","id":"dir-org-1","name":"Hospital One"}""",
        """{"resourceType":"Organization","id":"dir-org-2","name":"Hospital Two"}""",
        """{"resourceType":"Practitioner","id":"dir-prac-1","name":[{"family":"Carter","given":["Quinn"]}]}""",
        """{"resourceType":"Practitioner","id":"dir-prac-2","name":[{"family":"Dalton","given":["Remy"]}]}""",
    ]);

    /// <summary>Resident <c>atk-{r}</c>'s eleven records (and, for A, a report that also names B's lab result).</summary>
    public static string ResidentBundle(string r)
    {
        string p = "atk-" + r;
        bool isA = r == "a";
        string family = isA ? FamilyA : FamilyB;
        string given = isA ? "Astrid" : "Bertil";
        string org = isA ? "dir-org-1" : "dir-org-2";
        string prac = isA ? "dir-prac-1" : "dir-prac-2";
        string lab = isA ? LabCodeA : LabCodeB;
        string cond = isA ? ConditionCodeA : ConditionCodeB;
        string subject = $$$"""{"reference":"Patient/{{{p}}}"}""";
        List<string> resources =
        [
            $$$"""{"resourceType":"Patient","id":"{{{p}}}","name":[{"family":"{{{family}}}","given":["{{{given}}}"]}],"gender":"female","birthDate":"1970-01-0{{{(isA ? 1 : 2)}}}","generalPractitioner":[{"reference":"Practitioner/{{{prac}}}"}],"managingOrganization":{"reference":"Organization/{{{org}}}"}}""",
            $$$"""{"resourceType":"Encounter","id":"{{{p}}}-enc","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{{{subject}}},"serviceProvider":{"reference":"Organization/{{{org}}}"}}""",
            $$$"""{"resourceType":"Observation","id":"{{{p}}}-lab","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"{{{lab}}}"}]},"subject":{{{subject}}},"encounter":{"reference":"Encounter/{{{p}}}-enc"},"effectiveDateTime":"2024-01-0{{{(isA ? 3 : 4)}}}","valueQuantity":{"value":5.{{{(isA ? 1 : 2)}}},"unit":"mmol/L"}}""",
            $$$"""{"resourceType":"Observation","id":"{{{p}}}-vital","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{{{subject}}},"effectiveDateTime":"2024-01-05","valueQuantity":{"value":7{{{(isA ? 1 : 2)}}},"unit":"/min"}}""",
            $$$"""{"resourceType":"Condition","id":"{{{p}}}-cond","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"{{{cond}}}"}]},"subject":{{{subject}}} }""",
            $$$"""{"resourceType":"MedicationRequest","id":"{{{p}}}-medrq","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"860975"}]},"subject":{{{subject}}},"requester":{"reference":"Practitioner/{{{prac}}}"}}""",
            $$$"""{"resourceType":"AllergyIntolerance","id":"{{{p}}}-allergy","code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005"}]},"patient":{{{subject}}} }""",
            $$$"""{"resourceType":"Immunization","id":"{{{p}}}-imm","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"patient":{{{subject}}},"occurrenceDateTime":"2023-10-01"}""",
            $$$"""{"resourceType":"Procedure","id":"{{{p}}}-proc","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"80146002"}]},"subject":{{{subject}}} }""",
            $$$"""{"resourceType":"DiagnosticReport","id":"{{{p}}}-report","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24323-8"}]},"subject":{{{subject}}},"result":[{"reference":"Observation/{{{p}}}-lab"}]}""",
            $$$"""{"resourceType":"CarePlan","id":"{{{p}}}-careplan","status":"active","intent":"plan","subject":{{{subject}}} }""",
            $$$"""{"resourceType":"DocumentReference","id":"{{{p}}}-doc","status":"current","subject":{{{subject}}},"content":[{"attachment":{"contentType":"text/plain","data":"aGVsbG8="}}]}""",
        ];
        if (isA)
        {
            resources.Add($$$"""{"resourceType":"DiagnosticReport","id":"{{{CrossReport}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"58410-2"}]},"subject":{{{subject}}},"result":[{"reference":"Observation/atk-a-lab"},{"reference":"Observation/atk-b-lab"}]}""");
        }

        return Transaction(resources);
    }

    private static string Transaction(IEnumerable<string> resources)
    {
        var entries = new JsonArray();
        foreach (string json in resources)
        {
            JsonObject resource = JsonNode.Parse(json)!.AsObject();
            entries.Add(new JsonObject
            {
                ["resource"] = resource,
                ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"{resource["resourceType"]}/{resource["id"]}" },
            });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries }.ToJsonString();
    }
}
