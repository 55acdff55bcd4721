using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Requests;
using OpenHip.Modules.Terminology.Catalog;

namespace OpenHip.Modules.Terminology.Tests.Features;

/// <summary>A catalog holding the given resources, and GET-style operation calls against it.</summary>
internal sealed class TerminologyHarness
{
    public TerminologyHarness(TerminologyOptions options, params Resource[] resources)
    {
        Options = Microsoft.Extensions.Options.Options.Create(options);
        Catalog = new TerminologyCatalog(Options, NullLogger<TerminologyCatalog>.Instance);
        long version = 1;
        foreach (Resource resource in resources)
        {
            Catalog.Apply(TerminologyCatalog.Compile(resource, version++));
        }
    }

    public IOptions<TerminologyOptions> Options { get; }

    public TerminologyCatalog Catalog { get; }

    public static OperationRequest Get(string type, string? id, params (string Name, string Value)[] query) =>
        new(id is null ? OperationLevel.Type : OperationLevel.Instance, type, id, null,
            query.GroupBy(q => q.Name).ToDictionary(g => g.Key, g => g.Select(q => q.Value).ToArray(), StringComparer.Ordinal),
            new FhirRequestContext("http://openhip.test/fhir"));

    public static OperationRequest Post(string type, Parameters body) =>
        new(OperationLevel.Type, type, null, body, new Dictionary<string, string[]>(), new FhirRequestContext("http://openhip.test/fhir"), IsPost: true);

    public static async Task<T> RunAsync<T>(IFhirOperation operation, OperationRequest request)
        where T : Resource
    {
        OperationResult result = await operation.ExecuteAsync(request, CancellationToken.None);
        return Xunit.Assert.IsType<T>(result.Resource);
    }
}
