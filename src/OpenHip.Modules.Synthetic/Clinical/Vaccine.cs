namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>One dose of the national immunisation programme: the vaccine and the age (in months) it is due.</summary>
internal sealed record Vaccine(string NipCode, string Display, string? Cvx, int DoseNumber, int AgeMonths);
