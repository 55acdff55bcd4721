using System.Reflection;

namespace OpenHip.LoadDriver;

/// <summary>Default locations, found from the driver's own output directory so `dotnet run` works from any directory.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root (the directory holding OpenHip.slnx), or null when the driver runs outside a checkout.</summary>
    public static string? Root()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenHip.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>openhip.dll built in the driver's own configuration (the project reference builds it first).</summary>
    public static string? ServerAssembly()
    {
        string configuration = typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        return Root() is { } root ? Path.Combine(root, "src", "OpenHip", "bin", configuration, "net10.0", "openhip.dll") : null;
    }

    /// <summary>../shared/data/fhir next to the checkout (where the project keeps its test data).</summary>
    public static string? FhirData() => Root() is { } root ? Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "fhir")) : null;
}
