using System.Buffers;
using System.Runtime.InteropServices;
using OpenHip.Fhir.Storage.Relational.Audit;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// Sorts a new run's patient keys into <see cref="AuditPatientKey.CompareTo"/>'s order by sorting, first, 64-bit windows
/// of their ids: the four UTF-16 units after the prefix every id shares. The ids of one store share most of their length
/// ("bench-000…", "Patient/…"), so a sort that compared them whole spent most of each step on that prefix; the sort was
/// ~0.25 µs of every audited read, over a third of what writing a run cost (docs/performance.md, "Twenty-seventh look").
/// </summary>
/// <remarks>
/// Ids with the same prefix are ordered by their windows as <see cref="string.CompareOrdinal(string, string)"/> orders
/// them, where the windows differ (a missing unit counts as 0, and a shorter id sorts first); keys whose windows are
/// equal are then sorted by the whole comparison.
/// </remarks>
internal static class AuditKeyOrder
{
    private const int Units = 4;

    public static void Sort(List<AuditPatientKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Span<AuditPatientKey> span = CollectionsMarshal.AsSpan(keys);
        if (span.Length < 2)
        {
            return;
        }

        int shared = span[0].Patient.Length;
        foreach (AuditPatientKey key in span)
        {
            shared = span[0].Patient.AsSpan(0, shared).CommonPrefixLength(key.Patient);
        }

        ulong[] windows = ArrayPool<ulong>.Shared.Rent(span.Length);
        int[] order = ArrayPool<int>.Shared.Rent(span.Length);
        AuditPatientKey[] sorted = ArrayPool<AuditPatientKey>.Shared.Rent(span.Length);
        try
        {
            for (int i = 0; i < span.Length; i++)
            {
                windows[i] = Window(span[i].Patient, shared);
                order[i] = i;
            }

            windows.AsSpan(0, span.Length).Sort(order.AsSpan(0, span.Length));
            for (int i = 0; i < span.Length; i++)
            {
                sorted[i] = span[order[i]];
            }

            for (int start = 0, end; start < span.Length; start = end)
            {
                for (end = start + 1; end < span.Length && windows[end] == windows[start]; end++)
                {
                }

                sorted.AsSpan(start, end - start).Sort();
            }

            sorted.AsSpan(0, span.Length).CopyTo(span);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(windows);
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<AuditPatientKey>.Shared.Return(sorted, clearArray: true);
        }
    }

    private static ulong Window(string id, int from)
    {
        ulong window = 0;
        for (int i = from; i < from + Units; i++)
        {
            window = (window << 16) | (i < id.Length ? id[i] : 0U);
        }

        return window;
    }
}
