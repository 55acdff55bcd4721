namespace OpenHip.Tests.Data;

/// <summary>Finds ../shared/data beside the repository (read in place, never copied into the repo).</summary>
internal static class SharedDataFolder
{
    public static string? Find(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string Require(string relative)
    {
        string? path = Find(relative);
        Skip.If(path is null, $"../shared/data/{relative} is not present beside the repository; this test needs the shared test data");
        return path!;
    }
}
