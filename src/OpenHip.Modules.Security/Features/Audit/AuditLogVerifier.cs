using System.Text.Json;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// <c>openhip audit verify</c>: walks every chain in the log (sequence continuity, each row's link to the one before,
/// each row's hash over its content) and checks the witness's checkpoints (SM2 signature, one key, an unbroken
/// numbered and hash-linked series per node, the log's own copies not ahead of the witness, and every checkpointed head
/// present in the log with the same hash), and the patient index against the events (<see cref="PatientIndexCheck"/>).
/// Each finding names the first affected record: chain, sequence and time.
/// </summary>
public sealed class AuditLogVerifier(IAuditLog log)
{
    /// <summary>The public key of the audit signing key file, or null when there is none (verification then trusts the series' own key).</summary>
    public static byte[]? SigningPublicKeyIn(string path) => AuditSigningKey.PublicKeyIn(path);

    /// <param name="witnessLines">The witness file's lines (null: no witness file).</param>
    /// <param name="trustedPublicKey">The public key every checkpoint must be signed with; null to accept the series' own (still one key).</param>
    public Task<AuditVerificationReport> VerifyAsync(
        IReadOnlyList<string>? witnessLines, byte[]? trustedPublicKey, CancellationToken cancellationToken) =>
        VerifyAsync(_ => Task.FromResult(witnessLines), trustedPublicKey, cancellationToken);

    /// <summary>
    /// As the overload with lines, reading the witness twice: before and after the log's checkpoint copies. A running
    /// server keeps each copy a moment before it appends the witness line, so a copy newer than the first read is no sign
    /// of tampering when the second read has it; the witness's own entries are held against the copies with the first.
    /// </summary>
    /// <param name="readWitness">Reads the witness file's lines (null: no witness file).</param>
    /// <param name="trustedPublicKey">The public key every checkpoint must be signed with; null to accept the series' own (still one key).</param>
    public async Task<AuditVerificationReport> VerifyAsync(
        Func<CancellationToken, Task<IReadOnlyList<string>?>> readWitness, byte[]? trustedPublicKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readWitness);
        IReadOnlyList<string>? before = await readWitness(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AuditCheckpointRow> copies = await log.ReadCheckpointsAsync(null, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string>? witnessLines = await readWitness(cancellationToken).ConfigureAwait(false);

        var findings = new List<AuditFinding>();
        List<AuditCheckpoint> checkpoints = ReadWitness(witnessLines ?? [], findings);
        CheckSeries(checkpoints, trustedPublicKey, findings);
        CheckDatabaseCopies(copies, checkpoints, ReadWitness(before ?? [], []), witnessLines is null, findings);

        // The newest checkpointed head of each chain, and every checkpointed (sequence, hash) to compare on the way.
        var pinned = new Dictionary<string, SortedDictionary<long, (byte[] Hash, AuditCheckpoint By)>>(StringComparer.Ordinal);
        foreach (AuditCheckpoint checkpoint in checkpoints.Where(c => c.SignatureIsValid()))
        {
            foreach (LaneHead head in checkpoint.Chains)
            {
                if (!pinned.TryGetValue(head.ChainId, out SortedDictionary<long, (byte[], AuditCheckpoint)>? heads))
                {
                    pinned[head.ChainId] = heads = [];
                }

                heads[head.Sequence] = (head.Hash.ToArray(), checkpoint);
            }
        }

        IReadOnlyList<AuditChainHead> chains = await log.ListChainsAsync(cancellationToken).ConfigureAwait(false);
        var patientIndex = new PatientIndexCheck(log, findings);
        long rows = 0;
        foreach (AuditChainHead chain in chains)
        {
            pinned.Remove(chain.ChainId, out SortedDictionary<long, (byte[] Hash, AuditCheckpoint By)>? heads);
            rows += await CheckChainAsync(chain.ChainId, heads ?? [], findings, patientIndex, cancellationToken).ConfigureAwait(false);
        }

        await patientIndex.FinishAsync(chainsIntact: findings.Count == 0, cancellationToken).ConfigureAwait(false);

        // Chains a checkpoint vouches for that are not in the log at all.
        foreach ((string chainId, SortedDictionary<long, (byte[] Hash, AuditCheckpoint By)> heads) in pinned)
        {
            (long seq, (byte[] _, AuditCheckpoint by)) = heads.Last();
            findings.Add(new AuditFinding("truncated", chainId, 1, by.Time,
                $"the whole chain is missing; checkpoint {by.Node}#{by.Number} recorded it up to seq {seq}"));
        }

        return new AuditVerificationReport(chains.Count, rows, checkpoints.Count, findings);
    }

    private async Task<long> CheckChainAsync(
        string chainId,
        SortedDictionary<long, (byte[] Hash, AuditCheckpoint By)> pinned,
        List<AuditFinding> findings,
        PatientIndexCheck patientIndex,
        CancellationToken cancellationToken)
    {
        long expected = 1;
        ReadOnlyMemory<byte>? previous = null;
        DateTimeOffset? lastRecorded = null;
        long count = 0;
        bool broken = false;
        await using IAsyncEnumerator<StoredAuditRow> rows = log.StreamChainAsync(chainId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await rows.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (UnreadableAuditBlockException ex)
            {
                // The stream cannot go past a block it cannot unpack; the chain is reported broken there.
                if (!broken)
                {
                    findings.Add(new AuditFinding("modified", chainId, ex.FirstSequence, ex.FirstRecorded,
                        $"the block of events from seq {ex.FirstSequence} cannot be read: its bytes were changed"));
                }

                return count;
            }

            StoredAuditRow stored = rows.Current;
            AuditRow row = stored.Row;
            count++;
            if (broken)
            {
                continue;
            }

            if (row.Sequence != expected)
            {
                findings.Add(row.Sequence > expected
                    ? new AuditFinding("deleted", chainId, expected, lastRecorded ?? row.Recorded,
                        $"rows {expected}..{row.Sequence - 1} are missing (between the rows recorded at {Time(lastRecorded)} and {Time(row.Recorded)})")
                    : new AuditFinding("reordered", chainId, row.Sequence, row.Recorded, $"seq {row.Sequence} appears again after seq {expected - 1}"));
                broken = true;
                continue;
            }

            previous ??= AuditRowHash.GenesisFor(chainId, row.PreviousHash.Span);
            if (!row.PreviousHash.Span.SequenceEqual(previous.Value.Span))
            {
                findings.Add(new AuditFinding("reordered", chainId, row.Sequence, row.Recorded,
                    $"seq {row.Sequence} does not follow seq {row.Sequence - 1}: it names another row as its predecessor (rows moved, inserted or removed)"));
                broken = true;
                continue;
            }

            if (!AuditRowHash.Matches(row))
            {
                findings.Add(new AuditFinding("modified", chainId, row.Sequence, row.Recorded, $"seq {row.Sequence}'s content or time does not match its hash"));
                broken = true;
                continue;
            }

            if (pinned.TryGetValue(row.Sequence, out (byte[] Hash, AuditCheckpoint By) pin) && !pin.Hash.AsSpan().SequenceEqual(row.Hash.Span))
            {
                // A consistent chain with another hash than the signed one: rewritten from some earlier row onwards.
                long from = pinned.Keys.Where(k => k < row.Sequence).DefaultIfEmpty(0).Max() + 1;
                findings.Add(new AuditFinding("modified", chainId, from, row.Recorded,
                    $"the chain was rewritten: seq {row.Sequence} differs from checkpoint {pin.By.Node}#{pin.By.Number}, which the rows up to seq {from - 1} still match; the first changed row is in {from}..{row.Sequence}"));
                broken = true;
                continue;
            }

            await patientIndex.AddAsync(stored, cancellationToken).ConfigureAwait(false);
            previous = row.Hash;
            lastRecorded = row.Recorded;
            expected++;
        }

        if (!broken && pinned.Count > 0)
        {
            (long seq, (byte[] _, AuditCheckpoint by)) = pinned.Last();
            if (seq >= expected)
            {
                findings.Add(new AuditFinding("truncated", chainId, expected, lastRecorded,
                    $"the chain ends at seq {expected - 1} but checkpoint {by.Node}#{by.Number} ({Time(by.Time)}) recorded it up to seq {seq}"));
            }
        }

        return count;
    }

    private static List<AuditCheckpoint> ReadWitness(IReadOnlyList<string> lines, List<AuditFinding> findings)
    {
        var checkpoints = new List<AuditCheckpoint>();
        for (int i = 0; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                checkpoints.Add(AuditCheckpoint.ParseLine(lines[i]));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                findings.Add(new AuditFinding("checkpoint-series", null, null, null, $"witness line {i + 1} is not a checkpoint"));
            }
        }

        return checkpoints;
    }

    private static void CheckSeries(IReadOnlyList<AuditCheckpoint> checkpoints, byte[]? trustedPublicKey, List<AuditFinding> findings)
    {
        string? trusted = trustedPublicKey is null ? null : Convert.ToHexStringLower(trustedPublicKey);
        foreach (IGrouping<string, AuditCheckpoint> series in checkpoints.GroupBy(c => c.Node, StringComparer.Ordinal))
        {
            string key = trusted ?? series.First().PublicKey;
            long expected = 1;
            string? previous = null;
            foreach (AuditCheckpoint checkpoint in series)
            {
                if (!checkpoint.SignatureIsValid())
                {
                    findings.Add(new AuditFinding("checkpoint-signature", null, null, checkpoint.Time,
                        $"checkpoint {checkpoint.Node}#{checkpoint.Number}: the SM2 signature does not match its content"));
                }
                else if (!string.Equals(checkpoint.PublicKey, key, StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add(new AuditFinding("checkpoint-key", null, null, checkpoint.Time,
                        $"checkpoint {checkpoint.Node}#{checkpoint.Number} is signed with another key than {(trusted is null ? "the series" : "the audit signing key")}"));
                }

                if (checkpoint.Number != expected || checkpoint.Previous != previous)
                {
                    findings.Add(new AuditFinding("checkpoint-series", null, null, checkpoint.Time, checkpoint.Number == expected
                        ? $"checkpoint {checkpoint.Node}#{checkpoint.Number} does not name #{expected - 1} as its predecessor"
                        : $"checkpoint {checkpoint.Node}#{checkpoint.Number} comes where #{expected} was due (witness lines removed, replayed or reordered)"));
                }

                expected = checkpoint.Number + 1;
                previous = checkpoint.Hash;
            }
        }
    }

    /// <summary>
    /// The log keeps its own copy of each checkpoint, written before the witness's: the witness may not lag it (as read
    /// after the copies), and every checkpoint the witness had before the copies were read must be among them.
    /// </summary>
    private static void CheckDatabaseCopies(
        IReadOnlyList<AuditCheckpointRow> copies,
        IReadOnlyList<AuditCheckpoint> witnessed,
        IReadOnlyList<AuditCheckpoint> witnessedBefore,
        bool witnessMissing,
        List<AuditFinding> findings)
    {
        foreach (IGrouping<string, AuditCheckpointRow> series in copies.GroupBy(c => c.Node, StringComparer.Ordinal))
        {
            var inWitness = witnessed.Where(c => c.Node == series.Key).GroupBy(c => c.Number).ToDictionary(g => g.Key, g => g.Last());
            foreach (AuditCheckpointRow copy in series)
            {
                if (!inWitness.TryGetValue(copy.Number, out AuditCheckpoint? seen))
                {
                    findings.Add(new AuditFinding("witness-behind", null, null, copy.Recorded, witnessMissing
                        ? $"the witness file is missing, but the database holds checkpoint {copy.Node}#{copy.Number}"
                        : $"checkpoint {copy.Node}#{copy.Number} is in the database but not in the witness (witness lines removed, or an older witness file)"));
                    break;
                }

                if (!seen.Body.AsSpan().SequenceEqual(copy.Body.Span))
                {
                    findings.Add(new AuditFinding("database-checkpoints", null, null, copy.Recorded,
                        $"the database's copy of checkpoint {copy.Node}#{copy.Number} differs from the witness's"));
                    break;
                }
            }
        }

        var kept = copies.Select(c => (c.Node, c.Number)).ToHashSet();
        if (witnessedBefore.FirstOrDefault(w => !kept.Contains((w.Node, w.Number))) is { } lost)
        {
            findings.Add(new AuditFinding("database-checkpoints", null, null, lost.Time,
                $"checkpoint {lost.Node}#{lost.Number} is in the witness but no longer in the database"));
        }
    }

    private static string Time(DateTimeOffset? value) => value is { } at ? at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
