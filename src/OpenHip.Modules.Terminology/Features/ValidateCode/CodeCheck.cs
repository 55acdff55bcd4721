namespace OpenHip.Modules.Terminology.Features.ValidateCode;

/// <summary>The answer of $validate-code: valid or not, why, and the display the server knows.</summary>
internal sealed record CodeCheck(bool Result, string? Message, string? Display);
