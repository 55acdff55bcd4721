namespace OpenHip.Fhir.Operations;

/// <summary>Where an operation may be invoked: [base]/$op, [base]/Type/$op, [base]/Type/id/$op.</summary>
[Flags]
public enum OperationLevel
{
    None = 0,
    System = 1,
    Type = 2,
    Instance = 4,
}
