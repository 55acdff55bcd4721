namespace OpenHip.Modules.Synthetic.Residents;

/// <summary>A look-alike another resident was derived from: a twin, or a stranger with the same name and birthday.</summary>
internal sealed record ResidentRelation(string Kind, string OtherResidentKey)
{
    public const string Twin = "twin";
    public const string Namesake = "namesake";

    public override string ToString() => Kind + ":" + OtherResidentKey;
}
