namespace OpenHip.Tests.Auth;

/// <summary>Tests that swap Console.Out (process-wide) run alone, so no other test's output lands in their capture.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleOutput
{
    public const string Name = "Console output";
}
