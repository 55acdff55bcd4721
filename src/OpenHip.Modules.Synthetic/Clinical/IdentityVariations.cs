namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>Labels for the identity variations, as written to identity_clusters.csv.</summary>
internal static class IdentityVariations
{
    public const string MissingId = "missing-id";
    public const string TransposedIdDigits = "transposed-id-digits";
    public const string HomophoneChar = "homophone-char";
    public const string VariantChar = "variant-char";
    public const string SwappedGiven = "swapped-given";
    public const string PinyinOnly = "pinyin-only";
    public const string ChangedPhone = "changed-phone";
    public const string ChangedAddress = "changed-address";
}
