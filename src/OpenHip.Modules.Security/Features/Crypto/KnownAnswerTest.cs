namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>One self-test: a name that says what and where from (so a failure message points at it) and the check.</summary>
internal sealed record KnownAnswerTest(string Name, Func<bool> Passes);
