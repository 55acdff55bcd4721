namespace OpenHip.Modules.Synthetic.Domain;

/// <summary>Independent random streams; adding a stream never shifts the values of another.</summary>
internal enum RandomStream
{
    Region = 1,
    Demographics = 2,
    Pair = 3,
    History = 4,
    Outbreaks = 5,
}
