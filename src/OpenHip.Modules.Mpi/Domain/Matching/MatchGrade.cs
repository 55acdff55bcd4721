namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>The FHIR match-grade codes, in increasing confidence.</summary>
internal enum MatchGrade
{
    CertainlyNot,
    Possible,
    Probable,
    Certain,
}
