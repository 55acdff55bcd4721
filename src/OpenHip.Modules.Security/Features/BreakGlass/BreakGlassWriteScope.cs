namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary>
/// Marks the module's own grant write on the current async flow, so the write guard can tell it from a client's:
/// nothing a client sends can set it, and it does not outlive the write.
/// </summary>
internal static class BreakGlassWriteScope
{
    private static readonly AsyncLocal<bool> Active = new();

    public static bool IsActive => Active.Value;

    public static IDisposable Enter()
    {
        Active.Value = true;
        return new Exit();
    }

    private sealed class Exit : IDisposable
    {
        public void Dispose() => Active.Value = false;
    }
}
