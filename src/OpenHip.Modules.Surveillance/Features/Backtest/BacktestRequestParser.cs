using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Surveillance.Domain.Counting;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Surveillance.Features.Series;

namespace OpenHip.Modules.Surveillance.Features.Backtest;

/// <summary>
/// Reads <c>$surveillance-backtest</c>: every parameter of <c>$surveillance-series</c> (its parser, so names and errors
/// are the same; <c>algorithm</c> is required) plus repeated <c>outbreak</c>. In a URL an outbreak is
/// <c>yyyy-MM-dd/yyyy-MM-dd</c>, optionally followed by <c>@area</c>; in a Parameters body it is a <c>valuePeriod</c>,
/// or parts <c>period</c> (Period) or <c>start</c> and <c>end</c> (date), and optionally <c>area</c> (code). Both
/// forms are turned into the URL text and parsed by one grammar.
/// </summary>
internal static class BacktestRequestParser
{
    private static readonly SeriesRequestForm Form = new("surveillance-backtest", new HashSet<string>(StringComparer.Ordinal) { "outbreak" }, OutbreakText);

    public static BacktestRequest Parse(OperationRequest request, CaseDefinitionCatalog catalog)
    {
        SeriesQuery query = SeriesRequestParser.Parse(request, catalog, Form, out IReadOnlyDictionary<string, List<string>> values);
        if (query.Algorithm is null)
        {
            throw FhirException.BadRequest("$surveillance-backtest needs 'algorithm' (a detector of $surveillance-series)", "algorithm");
        }

        List<LabelledOutbreak> outbreaks = [.. (values.GetValueOrDefault("outbreak") ?? []).Select(Outbreak)];
        return new BacktestRequest(query, outbreaks);
    }

    private static LabelledOutbreak Outbreak(string text)
    {
        string period = text;
        string? area = null;
        int at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            period = text[..at];
            area = text[(at + 1)..];
            if (!AreaCode.TryParse(area, out _))
            {
                throw FhirException.BadRequest($"the area of outbreak '{text}' must be a six-digit GB/T 2260 code", "outbreak");
            }
        }

        string[] days = period.Split('/');
        if (days.Length != 2 || !TryDate(days[0], out DateOnly start) || !TryDate(days[1], out DateOnly end))
        {
            throw FhirException.BadRequest($"'outbreak' must be a period yyyy-MM-dd/yyyy-MM-dd, optionally followed by @area (got '{text}')", "outbreak");
        }

        return end >= start
            ? new LabelledOutbreak(start, end, area)
            : throw FhirException.BadRequest($"outbreak '{text}' ends before it starts", "outbreak");
    }

    private static bool TryDate(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    /// <summary>A POST body's outbreak as the URL form; what is missing or of the wrong type becomes text the grammar rejects.</summary>
    private static string OutbreakText(Parameters.ParameterComponent parameter)
    {
        if (parameter.Value is Period whole)
        {
            return Text(whole);
        }

        if (parameter.Value is not null || parameter.Part.Count == 0)
        {
            throw FhirException.BadRequest("'outbreak' must be a valuePeriod or parts period | start and end, and area", "outbreak");
        }

        Base? Part(string name) => parameter.Part.FirstOrDefault(p => p.Name == name)?.Value;
        string? unknown = parameter.Part.Select(p => p.Name).FirstOrDefault(n => n is not ("period" or "start" or "end" or "area"));
        if (unknown is not null)
        {
            throw FhirException.BadRequest($"'outbreak' has no part '{unknown}'; known: period, start, end, area", "outbreak");
        }

        string period = Part("period") is Period p ? Text(p) : $"{DayOf(Part("start"))}/{DayOf(Part("end"))}";
        return Part("area") is PrimitiveType area ? period + "@" + area : period;
    }

    private static string Text(Period period) => $"{DayOf(period.StartElement)}/{DayOf(period.EndElement)}";

    /// <summary>The calendar day as written (a dateTime's first ten characters), so it is read like a URL date.</summary>
    private static string DayOf(Base? value) => value switch
    {
        Date date => date.Value ?? string.Empty,
        FhirDateTime dateTime when dateTime.Value is { Length: >= 10 } text => text[..10],
        _ => string.Empty,
    };
}
