namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>How urgently a single case matters; high-priority diseases (class A: cholera, plague) alert on one case (item 4, later).</summary>
internal enum CasePriority
{
    Normal,
    High,
}
