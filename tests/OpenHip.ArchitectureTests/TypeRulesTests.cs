using NetArchTest.Rules;
using static OpenHip.ArchitectureTests.OpenHipAssemblies;

namespace OpenHip.ArchitectureTests;

/// <summary>Rules that need the types, not just the assembly references.</summary>
public sealed class TypeRulesTests
{
    /// <summary>What the executable composes from the API project; everything else there is an implementation detail.</summary>
    private static readonly string[] ApiSurface =
    [
        "OpenHip.Fhir.Api.FhirApiEndpointExtensions",
        "OpenHip.Fhir.Api.FhirApiOptions",
        "OpenHip.Fhir.Api.LoggingAuditSink",
    ];

    [Fact]
    public void StorageContracts_UseNoFirelyTypes()
    {
        // The contract a provider implements: JSON bytes and index entries only, so providers stay Firely-free.
        PredicateList contracts = Types.InAssembly(Engine).That().ResideInNamespace("OpenHip.Fhir.Storage");
        Assert.Contains(contracts.GetTypes(), t => t.Name == "IFhirStore");

        TestResult result = contracts.ShouldNot().HaveDependencyOn("Hl7.Fhir").GetResult();

        Assert.True(result.IsSuccessful, Failing(result));
    }

    [Fact]
    public void Engine_TypesUseNoWebOrDatabaseDriverNamespaces()
    {
        TestResult result = Types.InAssembly(Engine)
            .ShouldNot().HaveDependencyOnAny("Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "Npgsql")
            .GetResult();

        Assert.True(result.IsSuccessful, Failing(result));
    }

    [Fact]
    public void Api_ExportsOnlyWhatTheExecutableComposes()
    {
        string[] extra = Api.GetExportedTypes()
            .Select(t => t.FullName!)
            .Where(n => !ApiSurface.Contains(n, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(extra.Length == 0, $"public but not composed by the executable (make them internal): {string.Join(", ", extra)}");
    }

    private static string Failing(TestResult result) =>
        "violating types: " + string.Join(", ", result.FailingTypeNames ?? []);
}
