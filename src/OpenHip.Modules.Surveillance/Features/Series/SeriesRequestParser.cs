using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Surveillance.Domain.Counting;
using OpenHip.Modules.Surveillance.Features.CaseDetection;

namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>
/// Reads <c>$surveillance-series</c> input from the URL (GET) or a Parameters body (POST). Every problem is a 400 naming
/// the parameter: an unknown disease, area, age group or sex, a bad date or period, an unknown input parameter.
/// </summary>
internal static class SeriesRequestParser
{
    /// <summary>Longest series served at once (20 years of days): bounds memory and time of one request.</summary>
    public const int MaxDays = 20 * 366;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "disease", "area", "start", "end", "granularity", "ageGroup", "sex", "stream", "algorithm", "param", "_format", "_pretty",
    };

    public static SeriesQuery Parse(OperationRequest request, CaseDefinitionCatalog catalog) =>
        Parse(request, catalog, SeriesRequestForm.Series, out _);

    /// <summary>
    /// The series selection of an operation that takes it plus parameters of its own (<paramref name="form"/>); the
    /// values of every parameter are returned in <paramref name="values"/> for the caller to read its own.
    /// </summary>
    public static SeriesQuery Parse(OperationRequest request, CaseDefinitionCatalog catalog, SeriesRequestForm form, out IReadOnlyDictionary<string, List<string>> values)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(form);
        string operation = "$" + form.Operation;
        Dictionary<string, List<string>> collected = Collect(request, form);
        values = collected;
        string? unknown = collected.Keys.FirstOrDefault(k => !Known.Contains(k) && !form.ExtraParameters.Contains(k));
        if (unknown is not null)
        {
            IEnumerable<string> known = Known.Concat(form.ExtraParameters).Where(k => !k.StartsWith('_'));
            throw FhirException.BadRequest($"{operation} has no parameter '{unknown}'; known: {string.Join(", ", known)}", unknown);
        }

        return Selection(request, catalog, operation, collected);
    }

    private static SeriesQuery Selection(OperationRequest request, CaseDefinitionCatalog catalog, string operation, Dictionary<string, List<string>> values)
    {
        string disease = Single(values, "disease") ?? throw FhirException.BadRequest($"{operation} needs 'disease'", "disease");
        if (catalog.Find(disease) is null)
        {
            throw FhirException.BadRequest($"unknown disease '{disease}'; known: {string.Join(", ", catalog.Definitions.Select(d => d.Id))}", "disease");
        }

        string? areaText = Single(values, "area");
        if (areaText is not null && !AreaCode.TryParse(areaText, out _))
        {
            throw FhirException.BadRequest($"'area' must be a six-digit GB/T 2260 code of a county, city or province (got '{areaText}')", "area");
        }

        DateOnly start = Date(values, "start", operation);
        DateOnly end = Date(values, "end", operation);
        SeriesGranularity granularity = Single(values, "granularity") switch
        {
            null or "day" => SeriesGranularity.Day,
            "isoweek" => SeriesGranularity.IsoWeek,
            string other => throw FhirException.BadRequest($"'granularity' must be day or isoweek (got '{other}')", "granularity"),
        };
        if (granularity == SeriesGranularity.IsoWeek)
        {
            start = start.AddDays(-(((int)start.DayOfWeek + 6) % 7));
            end = end.AddDays(6 - (((int)end.DayOfWeek + 6) % 7));
        }

        if (end < start || end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            throw FhirException.BadRequest($"'start'..'end' must be a period of 1 to {MaxDays} days", "end");
        }

        string? ageGroup = Single(values, "ageGroup");
        if (ageGroup is not null && !AgeGroups.All.Contains(ageGroup, StringComparer.Ordinal))
        {
            throw FhirException.BadRequest($"'ageGroup' must be one of {string.Join(", ", AgeGroups.All)} (got '{ageGroup}')", "ageGroup");
        }

        string? sex = Single(values, "sex");
        if (sex is not null && !Sexes.All.Contains(sex, StringComparer.Ordinal))
        {
            throw FhirException.BadRequest($"'sex' must be one of {string.Join(", ", Sexes.All)} (got '{sex}')", "sex");
        }

        string stream = Single(values, "stream") ?? CountStreams.Cases;
        if (stream != CountStreams.Cases && !CountStreams.Evidence.Contains(stream, StringComparer.Ordinal))
        {
            throw FhirException.BadRequest($"'stream' must be {CountStreams.Cases} or one of {string.Join(", ", CountStreams.Evidence)} (got '{stream}')", "stream");
        }

        string? algorithm = Single(values, "algorithm");
        List<string> parameters = values.GetValueOrDefault("param") ?? [];
        if (algorithm is null && parameters.Count > 0)
        {
            throw FhirException.BadRequest("'param' needs an 'algorithm'", "param");
        }

        bool csv = Single(values, "_format") is { } format ? IsCsv(format) : request.Accept.Any(IsCsv);
        return new SeriesQuery(disease, areaText, start, end, granularity, ageGroup, sex, algorithm, parameters, csv, stream);
    }

    private static bool IsCsv(string mediaType) => mediaType.Trim().ToLowerInvariant() is "csv" or "text/csv";

    private static Dictionary<string, List<string>> Collect(OperationRequest request, SeriesRequestForm form)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((string name, string[] texts) in request.Query)
        {
            values[name] = [.. texts];
        }

        if (request.Body is Parameters body)
        {
            foreach (Parameters.ParameterComponent parameter in body.Parameter)
            {
                string? text = parameter.Value switch
                {
                    _ when form.ReadComplex is not null && parameter.Name is not null && form.ExtraParameters.Contains(parameter.Name)
                        && (parameter.Value is null or not PrimitiveType) => form.ReadComplex(parameter),
                    null => null,
                    Date date => date.Value,
                    PrimitiveType primitive => primitive.ToString(),
                    _ => throw FhirException.BadRequest($"parameter '{parameter.Name}' must be a primitive value", parameter.Name),
                };
                if (parameter.Name is null || text is null)
                {
                    throw FhirException.BadRequest("every parameter needs a name and a value");
                }

                if (!values.TryGetValue(parameter.Name, out List<string>? list))
                {
                    values[parameter.Name] = list = [];
                }

                list.Add(text);
            }
        }
        else if (request.Body is not null)
        {
            throw FhirException.BadRequest($"${form.Operation} takes a Parameters body, not {request.Body.TypeName}");
        }

        return values;
    }

    /// <summary>The one value of <paramref name="name"/>, null when absent; given twice is a 400.</summary>
    public static string? Single(IReadOnlyDictionary<string, List<string>> values, string name)
    {
        if (!values.TryGetValue(name, out List<string>? list) || list.Count == 0)
        {
            return null;
        }

        return list.Count == 1 ? list[0] : throw FhirException.BadRequest($"'{name}' is given more than once", name);
    }

    private static DateOnly Date(Dictionary<string, List<string>> values, string name, string operation)
    {
        string text = Single(values, name) ?? throw FhirException.BadRequest($"{operation} needs '{name}' (a date, yyyy-MM-dd)", name);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
            ? day
            : throw FhirException.BadRequest($"'{name}' must be a date yyyy-MM-dd (got '{text}')", name);
    }
}
