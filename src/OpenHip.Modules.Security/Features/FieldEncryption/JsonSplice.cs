namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// Rewrites a few string tokens of a JSON document by copying the bytes between them as they are: the stored document
/// keeps its exact spelling everywhere else, and the cost is one copy instead of a parse and a re-serialisation.
/// </summary>
internal static class JsonSplice
{
    /// <param name="replacements">Non-overlapping; sorted here.</param>
    public static byte[] Apply(ReadOnlySpan<byte> json, List<StringReplacement> replacements)
    {
        // Sites are found where their object ends, so a nested object's value can come before its parent's.
        replacements.Sort(static (a, b) => a.Range.Start.CompareTo(b.Range.Start));
        int length = json.Length;
        foreach (StringReplacement replacement in replacements)
        {
            length += replacement.Content.Length - replacement.Range.Length;
        }

        byte[] output = new byte[length];
        int from = 0;
        int to = 0;
        foreach (StringReplacement replacement in replacements)
        {
            ReadOnlySpan<byte> kept = json[from..replacement.Range.Start];
            kept.CopyTo(output.AsSpan(to));
            to += kept.Length;
            replacement.Content.CopyTo(output.AsSpan(to));
            to += replacement.Content.Length;
            from = replacement.Range.Start + replacement.Range.Length;
        }

        json[from..].CopyTo(output.AsSpan(to));
        return output;
    }
}
