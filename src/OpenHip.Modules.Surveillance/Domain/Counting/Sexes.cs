namespace OpenHip.Modules.Surveillance.Domain.Counting;

/// <summary>Sex as Patient.gender codes it (administrative gender); missing is <c>unknown</c>.</summary>
internal static class Sexes
{
    public static IReadOnlyList<string> All { get; } = ["male", "female", "other", "unknown"];
}
