using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

/// <summary>The small fixtures in Loading/Fixtures, written in the real release formats.</summary>
internal static class Fixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Loading", "Fixtures");

    public static string LocalCodes => Path.Combine(Folder, "local-lab-codes.csv");

    public static string Icd10 => Path.Combine(Folder, "icd10-sample.xml");

    public static string Loinc => Path.Combine(Folder, "Loinc.csv");

    public static string ConceptMap => Path.Combine(Folder, "lab-to-loinc.csv");

    public static string NpmPackage => Path.Combine(Folder, "example.terminology-0.1.0.tgz");

    /// <summary>Writes a file of bad input to a fresh temporary folder; disposing the result removes the folder.</summary>
    public static TemporaryFile Temporary(string name, string content)
    {
        var file = new TemporaryFile(name);
        File.WriteAllText(file.Path, content);
        return file;
    }

    /// <summary>Writes <paramref name="content"/> to a temporary file, reads it, and checks the error names that file, the line and the problem.</summary>
    public static void AssertRefused(string name, string content, Action<string> read, long? line, string problem)
    {
        using TemporaryFile file = Temporary(name, content);

        TerminologyLoadException ex = Assert.Throws<TerminologyLoadException>(() => read(file.Path));

        Assert.Equal(file.Path, ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }
}
