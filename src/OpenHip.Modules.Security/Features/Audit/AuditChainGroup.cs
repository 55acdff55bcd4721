using System.Globalization;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The chains one journal writes, round-robin (<see cref="AuditLogOptions.JournalChains"/>, sixteen by default): with
/// <c>w</c> chains, the group's row <c>n</c> is row <c>n / w + 1</c> of chain <c>n mod w</c>. Each chain is an
/// ordinary one (<see cref="AuditRowHash"/>: a row links to the row before it in its chain, and every checkpoint signs
/// every chain's head), so the verifier and the log need nothing new. Sixteen consecutive rows link to sixteen
/// different rows, so the mover hashes them together (<see cref="Sm3Lanes"/>) instead of each read hashing its own
/// link on its request's path (docs/performance.md, "Thirty-first look").
/// </summary>
internal sealed class AuditChainGroup
{
    /// <summary>The most chains a group has: as many as <see cref="Sm3Lanes"/> hashes at once.</summary>
    public const int MaxWidth = Sm3Lanes.Width;

    private readonly LaneHead[] _heads;

    private AuditChainGroup(string id, LaneHead[] heads)
    {
        Id = id;
        _heads = heads;
        Next = heads.Sum(h => h.Sequence);
    }

    public string Id { get; }

    /// <summary>How many chains the group has.</summary>
    public int Width => _heads.Length;

    /// <summary>The index of the next row to chain.</summary>
    public long Next { get; private set; }

    /// <summary>Each chain's newest row (sequence 0 and its genesis before its first).</summary>
    public IReadOnlyList<LaneHead> Heads => _heads;

    public static string ChainIdOf(string group, int chain) => string.Create(CultureInfo.InvariantCulture, $"{group}-{chain:x}");

    public static IEnumerable<string> ChainIdsOf(string group, int width) => Enumerable.Range(0, CheckWidth(width)).Select(k => ChainIdOf(group, k));

    /// <summary>A new group of <paramref name="width"/> chains, each at its genesis.</summary>
    public static AuditChainGroup Start(string id, int width = MaxWidth) =>
        new(id, [.. ChainIdsOf(id, width).Select(chain => new LaneHead(chain, 0, AuditRowHash.GenesisOf(chain)))]);

    /// <summary>
    /// A group whose rows the log holds up to <paramref name="stored"/>'s heads (recovery). A log holding anything but
    /// the group's first rows, all of them, is not one this node wrote.
    /// </summary>
    /// <exception cref="InvalidDataException">The stored heads are not those of a prefix of the group's rows.</exception>
    public static AuditChainGroup Resume(string id, int width, IReadOnlyDictionary<string, AuditChainHead> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        LaneHead[] heads = [.. ChainIdsOf(id, width).Select(chain => stored.TryGetValue(chain, out AuditChainHead? head)
            ? new LaneHead(chain, head.Sequence, head.Hash)
            : new LaneHead(chain, 0, AuditRowHash.GenesisOf(chain)))];
        var group = new AuditChainGroup(id, heads);
        for (int k = 0; k < width; k++)
        {
            if (heads[k].Sequence != RowsOfChain(group.Next, k, width))
            {
                throw new InvalidDataException($"The audit log holds chain {heads[k].ChainId} up to {heads[k].Sequence}, not the first {group.Next} rows of its group");
            }
        }

        return group;
    }

    /// <summary>
    /// Chains the group's next rows (<paramref name="rows"/> continue at <see cref="Next"/>, in order) and returns them
    /// grouped by chain, each chain's in sequence order, as the log keeps consecutive rows of a chain in one block.
    /// </summary>
    /// <exception cref="InvalidOperationException">A row is not the group's next.</exception>
    public List<AuditRow> Chain(IReadOnlyList<JournaledRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        for (int i = 0; i < rows.Count; i++)
        {
            if (!string.Equals(rows[i].Group, Id, StringComparison.Ordinal) || rows[i].GroupWidth != Width || rows[i].Index != Next + i)
            {
                throw new InvalidOperationException($"Row {rows[i].Index} of group {rows[i].Group} is not row {Next + i} of group {Id}");
            }
        }

        var byChain = new List<AuditRow>[Width];
        for (int k = 0; k < byChain.Length; k++)
        {
            byChain[k] = new List<AuditRow>((rows.Count / Width) + 1);
        }

        var firsts = new ReadOnlyMemory<byte>[Width];
        var seconds = new ReadOnlyMemory<byte>[Width];
        byte[] hashes = new byte[Width * AuditChainCrypto.HashSize];

        // Each call hashes as many consecutive rows as the group has chains: each links to another chain's head.
        for (int start = 0; start < rows.Count; start += Width)
        {
            int count = Math.Min(Width, rows.Count - start);
            for (int lane = 0; lane < count; lane++)
            {
                JournaledRow row = rows[start + lane];
                firsts[lane] = _heads[ChainOf(row.Index)].Hash;
                seconds[lane] = row.Payload;
            }

            Sm3Lanes.Hash(firsts.AsSpan(0, count), seconds.AsSpan(0, count), hashes);
            for (int lane = 0; lane < count; lane++)
            {
                JournaledRow row = rows[start + lane];
                int k = ChainOf(row.Index);
                LaneHead head = _heads[k];
                byte[] hash = hashes.AsSpan(lane * AuditChainCrypto.HashSize, AuditChainCrypto.HashSize).ToArray();
                byChain[k].Add(new AuditRow(
                    head.ChainId, head.Sequence + 1, DateTimeOffset.FromUnixTimeMilliseconds(row.RecordedMillis), row.Agent, row.Patients, row.Payload, hash, head.Hash));
                _heads[k] = new LaneHead(head.ChainId, head.Sequence + 1, hash);
            }
        }

        Next += rows.Count;
        var chained = new List<AuditRow>(rows.Count);
        foreach (List<AuditRow> chain in byChain)
        {
            chained.AddRange(chain);
        }

        return chained;
    }

    private int ChainOf(long index) => (int)(index % Width);

    // How many of a group's first `rows` rows go to chain k.
    private static long RowsOfChain(long rows, int k, int width) => rows > k ? ((rows - k - 1) / width) + 1 : 0;

    private static int CheckWidth(int width) =>
        width is >= 1 and <= MaxWidth ? width : throw new ArgumentOutOfRangeException(nameof(width), width, $"A group has 1 to {MaxWidth} chains");
}
