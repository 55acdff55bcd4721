using Hl7.Fhir.Model;

namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>
/// How an operation that selects a series (<c>$surveillance-series</c>, <c>$surveillance-backtest</c>) extends the
/// shared parameters: its name (for messages), its own parameter names, and how a non-primitive value of one of them in
/// a POST body (a period, parts) is turned into the text a GET would carry, so one grammar serves both.
/// </summary>
internal sealed record SeriesRequestForm(string Operation, IReadOnlySet<string> ExtraParameters, Func<Parameters.ParameterComponent, string>? ReadComplex = null)
{
    public static SeriesRequestForm Series { get; } = new("surveillance-series", new HashSet<string>(StringComparer.Ordinal));
}
