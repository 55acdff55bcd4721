using OpenHip.Modules.Surveillance.Features.Series;

namespace OpenHip.Modules.Surveillance.Features.Backtest;

/// <summary>A validated <c>$surveillance-backtest</c> request: the series and algorithm (as <c>$surveillance-series</c>) and the labelled outbreaks.</summary>
internal sealed record BacktestRequest(SeriesQuery Query, IReadOnlyList<LabelledOutbreak> Outbreaks);
