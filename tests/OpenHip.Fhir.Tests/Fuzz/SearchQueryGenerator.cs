using System.Text;
using OpenHip.Fhir.Search;

namespace OpenHip.Fhir.Tests.Fuzz;

/// <summary>
/// Seeded search queries built from the real parameter names of a type, mixed with junk: modifiers, prefixes, chains,
/// reverse chains, result parameters and values of every syntax (and of none).
/// </summary>
internal sealed class SearchQueryGenerator(SearchParameterRegistry registry, Random random)
{
    public static readonly string[] Types = ["Patient", "Observation", "Encounter", "Condition", "MedicationRequest", "Organization", "Practitioner", "Bundle", "Nonsense"];

    private static readonly string[] Modifiers =
        ["exact", "contains", "missing", "not", "text", "above", "below", "in", "not-in", "of-type", "identifier", "Patient", "Organization", "iterate", "xyz", ""];

    private static readonly string[] Prefixes = ["", "eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap", "zz"];

    private static readonly string[] Values =
    [
        "", "x", "1", "-1", "1.50", "1e3", "2024", "2024-02", "2024-02-30", "2024-01-01T10:00:00+08:00", "2024-01-01T25:00", "http://loinc.org|1234-5",
        "|x", "x|", "|", "5.4|http://unitsofmeasure.org|mg", "5||mg", "Patient/1", "Patient/1/_history/2", "http://elsewhere/Patient/1", "a\\,b", "a,b,c", "\\", "a$b",
        "true", "false", "null", "%00", "\u4e2d\u6587", "urn:uuid:3f6ad1a8-5b93-4d6c-9a51-2a0f1e3c7a10", "*", "Observation:subject", "Observation:subject:Patient", "-name",
        "name,-birthdate", "accurate", "count", "id,meta", ":::", "..", "99999999999999999999",
    ];

    private static readonly string[] ResultParameters =
        ["_count", "_sort", "_total", "_summary", "_elements", "_include", "_revinclude", "_include:iterate", "_revinclude:iterate", "_cursor", "_contained", "_id", "_lastUpdated", "_has", "_format"];

    public string Type() => Types[random.Next(Types.Length)];

    public List<KeyValuePair<string, string>> Query(string type)
    {
        int count = random.Next(1, 6);
        var query = new List<KeyValuePair<string, string>>(count);
        for (int i = 0; i < count; i++)
        {
            query.Add(new(Name(type), Value()));
        }

        return query;
    }

    private string Name(string type)
    {
        SearchParameterInfo[] known = [.. registry.ForType(type)];
        string code = random.Next(6) switch
        {
            0 => ResultParameters[random.Next(ResultParameters.Length)],
            1 => Junk(),
            _ when known.Length > 0 => known[random.Next(known.Length)].Code,
            _ => Junk(),
        };

        var name = new StringBuilder(code);
        if (random.Next(3) == 0)
        {
            name.Append(':').Append(Modifiers[random.Next(Modifiers.Length)]);
        }

        // Chains of one to six links, some through _has: deeper than the configured maximum on purpose.
        if (random.Next(4) == 0)
        {
            int links = random.Next(1, 7);
            for (int link = 0; link < links; link++)
            {
                name.Append('.').Append(random.Next(3) == 0 ? "_has:Observation:subject:code" : NextCode());
            }
        }

        return name.ToString();
    }

    private string NextCode()
    {
        string type = Types[random.Next(Types.Length)];
        SearchParameterInfo[] known = [.. registry.ForType(type)];
        return known.Length == 0 ? Junk() : known[random.Next(known.Length)].Code;
    }

    private string Value()
    {
        int parts = random.Next(1, 4);
        var value = new StringBuilder();
        for (int i = 0; i < parts; i++)
        {
            value.Append(i == 0 ? string.Empty : ",").Append(Prefixes[random.Next(Prefixes.Length)]).Append(random.Next(8) == 0 ? Junk() : Values[random.Next(Values.Length)]);
        }

        return value.ToString();
    }

    private string Junk()
    {
        const string alphabet = "abcXYZ019_-:.|$,\\%&=?#*[]{}()\"' \t\u00e9\u4e2d";
        int length = random.Next(0, 24);
        var junk = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            junk.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return junk.ToString();
    }
}
