using Xunit;

namespace OpenHip.Testing;

/// <summary>
/// Finds ../shared/data beside the repository (read in place, never copied into the repo). Linked into every test
/// project that needs the shared data.
/// </summary>
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

        // CI always has shared/ beside the clone: missing data there is a broken set-up, not a reason to skip.
        Assert.False(path is null && Environment.GetEnvironmentVariable("CI") == "true", $"../shared/data/{relative} is missing on CI");
        Skip.If(path is null, $"../shared/data/{relative} is not present beside the repository; this test needs the shared test data");
        return path!;
    }
}
