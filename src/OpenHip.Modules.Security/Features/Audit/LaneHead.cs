namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>The newest committed link of a chain (sequence 0 and the genesis hash before its first row).</summary>
internal sealed record LaneHead(string ChainId, long Sequence, ReadOnlyMemory<byte> Hash);
