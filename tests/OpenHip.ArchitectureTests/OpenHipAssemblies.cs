using System.Reflection;

namespace OpenHip.ArchitectureTests;

/// <summary>
/// Every OpenHIP assembly in the output folder, sorted into the layers of ARCHITECTURE.md by name, so that a new
/// module or storage provider is checked as soon as the executable references it.
/// </summary>
internal static class OpenHipAssemblies
{
    public const string EngineName = "OpenHip.Fhir";
    public const string ApiName = "OpenHip.Fhir.Api";
    public const string ExecutableName = "openhip";
    public const string StoragePrefix = "OpenHip.Fhir.Storage.";
    public const string ModulePrefix = "OpenHip.Modules.";
    public const string ContractsSuffix = ".Contracts";

    /// <summary>Shared SQL pieces used by the relational providers; a library of the storage layer, not a provider.</summary>
    public const string SharedStorageName = "OpenHip.Fhir.Storage.Relational";

    private static readonly Lazy<IReadOnlyList<Assembly>> All = new(Load);

    public static IReadOnlyList<Assembly> Production => All.Value;

    public static Assembly Engine => Named(EngineName);

    public static Assembly Api => Named(ApiName);

    public static Assembly Executable => Named(ExecutableName);

    /// <summary>Providers and the shared relational library.</summary>
    public static IEnumerable<Assembly> StorageLayer => Production.Where(a => Name(a).StartsWith(StoragePrefix, StringComparison.Ordinal));

    public static IEnumerable<Assembly> StorageProviders => StorageLayer.Where(a => Name(a) != SharedStorageName);

    public static IEnumerable<Assembly> ModuleAssemblies => Production.Where(a => IsModule(Name(a)));

    public static IEnumerable<Assembly> ModuleContracts => Production.Where(a => IsModuleContracts(Name(a)));

    public static string Name(Assembly assembly) => assembly.GetName().Name!;

    public static bool IsModule(string name) => name.StartsWith(ModulePrefix, StringComparison.Ordinal) && !IsModuleContracts(name);

    public static bool IsModuleContracts(string name) => name.StartsWith(ModulePrefix, StringComparison.Ordinal) && name.EndsWith(ContractsSuffix, StringComparison.Ordinal);

    public static IEnumerable<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(r => r.Name!);

    /// <summary>The references of <paramref name="assembly"/> that match any of the forbidden name prefixes.</summary>
    public static IEnumerable<string> ForbiddenReferences(Assembly assembly, params string[] forbiddenPrefixes) =>
        References(assembly).Where(r => forbiddenPrefixes.Any(p => r == p || r.StartsWith(p.EndsWith('.') ? p : p + ".", StringComparison.Ordinal)));

    private static Assembly Named(string name) =>
        Production.SingleOrDefault(a => Name(a) == name) ?? throw new InvalidOperationException($"{name}.dll is not in {AppContext.BaseDirectory}");

    private static List<Assembly> Load()
    {
        string thisAssembly = typeof(OpenHipAssemblies).Assembly.GetName().Name!;
        return Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && (n == ExecutableName || n.StartsWith("OpenHip.", StringComparison.Ordinal)) && n != thisAssembly && !n.EndsWith(".Tests", StringComparison.Ordinal))
            .Select(n => Assembly.Load(new AssemblyName(n!)))
            .OrderBy(Name, StringComparer.Ordinal)
            .ToList();
    }
}
