using System.Reflection;
using static OpenHip.ArchitectureTests.OpenHipAssemblies;

namespace OpenHip.ArchitectureTests;

/// <summary>
/// The dependency rules of ARCHITECTURE.md, checked on the compiled assemblies: arrows point inward, the engine
/// depends on no provider or module, and only the executable composes everything.
/// </summary>
public sealed class DependencyRulesTests
{
    private const string AspNetCore = "Microsoft.AspNetCore";
    private const string Sqlite = "Microsoft.Data.Sqlite";
    private const string Npgsql = "Npgsql";
    private const string Firely = "Hl7.Fhir";

    [Fact]
    public void Discovery_FindsEveryLayer()
    {
        // Guards the rules below against passing vacuously because an assembly was not found.
        Assert.Contains(Production, a => Name(a) == EngineName);
        Assert.Contains(Production, a => Name(a) == ApiName);
        Assert.Contains(Production, a => Name(a) == ExecutableName);
        Assert.Contains(Production, a => Name(a) == SharedStorageName);
        Assert.NotEmpty(StorageProviders);
        Assert.NotEmpty(ModuleAssemblies);
        // ...and the matcher sees real references: the API does use ASP.NET Core.
        Assert.NotEmpty(ForbiddenReferences(Api, AspNetCore));
    }

    [Fact]
    public void Engine_ReferencesNoWebNoDatabaseDriverAndNoOuterProject()
    {
        string[] forbidden = [AspNetCore, Sqlite, Npgsql, ApiName, StoragePrefix, ModulePrefix, ExecutableName];
        Assert.Empty(ForbiddenReferences(Engine, forbidden));
    }

    [Fact]
    public void StorageLayer_ReferencesNeitherApiNorModulesNorWeb()
    {
        AssertNone(StorageLayer, a => ForbiddenReferences(a, ApiName, ModulePrefix, ExecutableName, AspNetCore));
    }

    [Fact]
    public void StorageLayer_ReferencesNoFirelyTypes()
    {
        // Providers receive JSON bytes and index entries: a second store must not need the FHIR model.
        AssertNone(StorageLayer, a => ForbiddenReferences(a, Firely));
    }

    [Fact]
    public void StorageProviders_ReferenceNoOtherProvider()
    {
        AssertNone(StorageProviders, a => References(a).Where(r =>
            r.StartsWith(StoragePrefix, StringComparison.Ordinal) && r != SharedStorageName && r != Name(a)));
    }

    [Fact]
    public void Api_ReferencesNoStorageProviderNoDriverAndNoModule()
    {
        string[] forbidden = [StoragePrefix, Sqlite, Npgsql, ModulePrefix, ExecutableName];
        Assert.Empty(ForbiddenReferences(Api, forbidden));
    }

    [Fact]
    public void Modules_ReferenceNoOtherModuleOnlyContracts()
    {
        AssertNone(ModuleAssemblies, a => References(a).Where(r => IsModule(r) && r != Name(a)));
    }

    [Fact]
    public void Modules_ReferenceNeitherApiNorStorageNorExecutable()
    {
        AssertNone(ModuleAssemblies.Concat(ModuleContracts), a => ForbiddenReferences(a, ApiName, StoragePrefix, ExecutableName, Sqlite, Npgsql));
    }

    [Fact]
    public void ModuleContracts_ReferenceNoModule()
    {
        AssertNone(ModuleContracts, a => References(a).Where(IsModule));
    }

    [Fact]
    public void Executable_ReferencesEngineApiEveryProviderAndEveryModule()
    {
        HashSet<string> references = [.. References(Executable)];
        string[] expected = [EngineName, ApiName, .. StorageProviders.Select(Name), .. ModuleAssemblies.Select(Name)];
        string[] missing = expected.Where(e => !references.Contains(e)).ToArray();
        Assert.True(missing.Length == 0, $"{ExecutableName} does not reference: {string.Join(", ", missing)}");
    }

    [Fact]
    public void NothingButTests_ReferencesTheExecutable()
    {
        AssertNone(Production.Where(a => Name(a) != ExecutableName), a => References(a).Where(r => r == ExecutableName));
    }

    [Fact]
    public void OnlyTheExecutable_ReferencesBothApiAndStorage()
    {
        // The composition root is the one place where HTTP meets a concrete store.
        AssertNone(Production.Where(a => Name(a) != ExecutableName), a =>
        {
            List<string> references = [.. References(a)];
            bool api = references.Contains(ApiName);
            bool storage = references.Any(r => r.StartsWith(StoragePrefix, StringComparison.Ordinal));
            return api && storage ? references : [];
        });
    }

    private static void AssertNone(IEnumerable<Assembly> assemblies, Func<Assembly, IEnumerable<string>> violations)
    {
        string[] found = assemblies
            .SelectMany(a => violations(a).Select(v => $"{Name(a)} -> {v}"))
            .ToArray();
        Assert.True(found.Length == 0, $"forbidden references:{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
    }
}
