namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>What kind of evidence made a record count as a case; kept on the case so lab-positive and syndromic counts can be told apart later.</summary>
internal enum CaseBasis
{
    Diagnosis,
    Laboratory,
    Syndromic,
}
