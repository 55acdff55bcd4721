namespace OpenHip.Fhir.Storage.Relational.Migrations;

/// <summary>One numbered schema step. Versions only grow; an applied migration is never edited, a fix is a new one.</summary>
/// <param name="Version">Positive, unique, applied in ascending order.</param>
/// <param name="Name">Short description recorded in <c>schema_migrations</c>.</param>
/// <param name="Sql">The statements of the step, run together in one transaction.</param>
public sealed record Migration(int Version, string Name, string Sql);
