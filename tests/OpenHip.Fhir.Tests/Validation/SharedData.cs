namespace OpenHip.Fhir.Tests.Validation;

/// <summary>Finds the shared test data that lives beside the repository (../shared/data), never copied into it.</summary>
internal static class SharedData
{
    /// <summary>The first <c>shared/data/fhir/{folder}</c> found walking up from the test binaries, or null.</summary>
    public static string? FindFhirFolder(string folder)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "data", "fhir", folder);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
