namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Term-frequency adjustment for exact name agreement: agreeing on 王 (one resident in fourteen) says far less
/// than agreeing on 欧阳. For a value v with share tf(v), the exact-level Bayes factor m/u is multiplied by
/// u_exact / tf(v), where u_exact = Σ tf² is the chance two random records agree on any value — so the average
/// adjustment is neutral and only the departure of v from the average counts.
/// </summary>
internal static class TermFrequencies
{
    /// <summary>Bounds of the adjustment in bits: one value never outweighs the rest of the record.</summary>
    private const double MaxAdjustmentBits = 4;

    /// <summary>The adjustment (log2) for each record's value; 0 for missing values.</summary>
    public static float[] Adjustments(IReadOnlyList<PersonRecord> records, Func<PersonRecord, string> value)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(value);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int present = 0;
        foreach (PersonRecord r in records)
        {
            string v = value(r);
            if (v.Length > 0)
            {
                counts[v] = counts.GetValueOrDefault(v) + 1;
                present++;
            }
        }

        var adjustments = new float[records.Count];
        if (present == 0)
        {
            return adjustments;
        }

        double sumSquares = counts.Values.Sum(c => (double)c * c) / ((double)present * present);
        for (int i = 0; i < records.Count; i++)
        {
            string v = value(records[i]);
            if (v.Length > 0)
            {
                double tf = (double)counts[v] / present;
                adjustments[i] = (float)Math.Clamp(Math.Log2(sumSquares / tf), -MaxAdjustmentBits, MaxAdjustmentBits);
            }
        }

        return adjustments;
    }

    /// <summary>The adjustment (log2) of one value seen <paramref name="count"/> times among <paramref name="present"/> values whose counts squared sum to <paramref name="sumOfSquaredCounts"/>.</summary>
    public static float Adjustment(long count, long present, double sumOfSquaredCounts)
    {
        if (count <= 0 || present <= 0)
        {
            return 0;
        }

        double sumSquares = sumOfSquaredCounts / ((double)present * present);
        double tf = (double)count / present;
        return (float)Math.Clamp(Math.Log2(sumSquares / tf), -MaxAdjustmentBits, MaxAdjustmentBits);
    }

    /// <summary>The value a name is counted by: its Han characters when it has them, its Latin form otherwise.</summary>
    public static string FamilyValue(PersonRecord r) => r.HanFamily.Length > 0 ? r.HanFamily : r.Family;

    public static string GivenValue(PersonRecord r) => r.HanGiven.Length > 0 ? r.HanGiven : r.Given;
}
