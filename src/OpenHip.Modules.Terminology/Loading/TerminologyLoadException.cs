namespace OpenHip.Modules.Terminology.Loading;

/// <summary>Input a loader cannot use, named by file and line so the deployer can fix it; nothing has been written.</summary>
public sealed class TerminologyLoadException(string file, long? line, string problem)
    : Exception(line is null ? $"{file}: {problem}" : $"{file}:{line}: {problem}")
{
    public string File { get; } = file;

    /// <summary>The 1-based line of the problem; null when it concerns the file as a whole.</summary>
    public long? Line { get; } = line;

    public string Problem { get; } = problem;
}
