namespace OpenHip.Modules.Synthetic.Clinical;

internal sealed record ClinicalCode(string System, string Value, string Display);
