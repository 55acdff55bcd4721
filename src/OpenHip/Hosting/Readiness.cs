namespace OpenHip.Hosting;

/// <summary>Whether the server is ready for traffic (/readyz): the store is open and any start-up loading is done.</summary>
public sealed class Readiness
{
    private volatile bool _ready;
    private volatile string? _failure;

    public bool IsReady => _ready;

    /// <summary>Why start-up gave up (the server then stops and `serve` exits non-zero); null while all is well.</summary>
    public string? Failure => _failure;

    public void MarkReady() => _ready = true;

    public void MarkFailed(string reason) => _failure = reason;
}
