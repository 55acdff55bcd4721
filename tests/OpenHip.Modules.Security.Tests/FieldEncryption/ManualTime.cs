namespace OpenHip.Modules.Security.Tests.FieldEncryption;

/// <summary>A clock the test moves, so "after the refresh interval" needs no sleep.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
