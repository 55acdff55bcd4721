namespace OpenHip.Hosting;

/// <summary>Whether the server is ready for traffic (/readyz): the store is open and any start-up loading is done.</summary>
public sealed class Readiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
