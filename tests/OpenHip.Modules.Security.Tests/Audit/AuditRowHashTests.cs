using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class AuditRowHashTests
{
    [Fact]
    public void Lane_StartsEachChainAtItsOwnGenesis()
    {
        AuditRow first = new AuditLane("node-x.1").Extend([AuditLogHarness.Read("p1", "dr-a", DateTimeOffset.UtcNow)])[0];

        Assert.Equal(AuditRowHash.GenesisOf("node-x.1"), first.PreviousHash.ToArray());
        Assert.NotEqual(AuditRowHash.GenesisOf("node-x.2"), AuditRowHash.GenesisOf("node-x.1"));
        Assert.NotEqual(AuditRowHash.OldGenesis.ToArray(), AuditRowHash.GenesisOf("node-x.1"));
    }

    [Fact]
    public void Version4Link_CoversPreviousPayloadAndTime()
    {
        AuditRow row = new AuditLane("node-x.1").Extend([AuditLogHarness.Read("p1", "dr-a", DateTimeOffset.UtcNow)])[0];
        byte[] payload = row.Payload.ToArray();
        payload[^3] ^= 0x01;

        Assert.Equal(BinaryAuditPayload.Version, row.Payload.Span[0]);
        Assert.True(AuditRowHash.Matches(row));
        Assert.False(AuditRowHash.Matches(row with { Recorded = row.Recorded.AddMilliseconds(1) }));
        Assert.False(AuditRowHash.Matches(row with { Payload = payload }));
        Assert.False(AuditRowHash.Matches(row with { PreviousHash = AuditRowHash.GenesisOf("node-x.2") }));
    }

    [Fact]
    public void Version3Link_StillBindsChainSequenceAndTime()
    {
        AuditRecord record = AuditLogHarness.Read("p1", "dr-a", DateTimeOffset.UtcNow);
        byte[] payload = EarlierAuditPayloads.Write(record, 3);
        long recorded = record.When.ToUnixTimeMilliseconds();
        byte[] hash = AuditRowHash.Compute(AuditRowHash.OldGenesis.Span, "node-x.1", 7, recorded, payload);
        var row = new AuditRow("node-x.1", 7, DateTimeOffset.FromUnixTimeMilliseconds(recorded), "dr-a", ["p1"], payload, hash, AuditRowHash.OldGenesis);

        Assert.True(AuditRowHash.Matches(row));
        Assert.False(AuditRowHash.Matches(row with { ChainId = "node-x.2" }));
        Assert.False(AuditRowHash.Matches(row with { Sequence = 8 }));
        Assert.False(AuditRowHash.Matches(row with { Recorded = row.Recorded.AddMilliseconds(1) }));
    }
}
