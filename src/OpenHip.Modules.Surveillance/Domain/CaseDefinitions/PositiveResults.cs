namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>
/// What makes a lab Observation positive: a coded value among <see cref="ValueCodes"/>, an interpretation among
/// <see cref="InterpretationCodes"/> (v3 ObservationInterpretation), or a string value among <see cref="Words"/>.
/// </summary>
internal sealed record PositiveResults(IReadOnlyList<string> ValueCodes, IReadOnlyList<string> InterpretationCodes, IReadOnlyList<string> Words)
{
    /// <summary>SNOMED CT Positive, Detected, Present; v3 POS, DET; the words labs write.</summary>
    public static PositiveResults Default { get; } = new(
        ["10828004", "260373001", "52101004"],
        ["POS", "DET"],
        ["positive", "detected", "pos", "阳性", "检出"]);
}
