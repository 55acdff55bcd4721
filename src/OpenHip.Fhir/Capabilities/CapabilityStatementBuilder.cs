using Hl7.Fhir.Model;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Search;

namespace OpenHip.Fhir.Capabilities;

/// <summary>
/// The CapabilityStatement generated from what the server actually has: every R4 resource type with the interactions
/// the engine implements, the search parameters that are indexed, and the registered operations.
/// </summary>
public sealed class CapabilityStatementBuilder(
    OperationRegistry operations, SearchParameterRegistry searchParameters, IEnumerable<ICapabilityContributor> contributors, TimeProvider time)
{
    private static readonly CapabilityStatement.TypeRestfulInteraction[] TypeInteractions =
    [
        CapabilityStatement.TypeRestfulInteraction.Read,
        CapabilityStatement.TypeRestfulInteraction.Vread,
        CapabilityStatement.TypeRestfulInteraction.Update,
        CapabilityStatement.TypeRestfulInteraction.Patch,
        CapabilityStatement.TypeRestfulInteraction.Delete,
        CapabilityStatement.TypeRestfulInteraction.HistoryInstance,
        CapabilityStatement.TypeRestfulInteraction.HistoryType,
        CapabilityStatement.TypeRestfulInteraction.Create,
        CapabilityStatement.TypeRestfulInteraction.SearchType,
    ];

    public CapabilityStatement Build(string baseUrl, string softwareVersion)
    {
        var statement = new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "OpenHIP", Version = softwareVersion },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "OpenHIP FHIR R4 server", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["application/fhir+json", "application/fhir+xml", "json", "xml"],
            PatchFormat = ["application/json-patch+json", "application/fhir+json", "application/fhir+xml"],
        };

        var rest = new CapabilityStatement.RestComponent { Mode = CapabilityStatement.RestfulCapabilityMode.Server };
        foreach (string type in ModelInfo.SupportedResources.Order(StringComparer.Ordinal))
        {
            rest.Resource.Add(ResourceEntry(type));
        }

        rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction });
        rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch });
        rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.HistorySystem });
        rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.SearchSystem });
        rest.SearchParam.AddRange(SearchParams("Resource"));
        foreach (IFhirOperation operation in operations.All)
        {
            rest.Operation.Add(new CapabilityStatement.OperationComponent { Name = operation.Name, Definition = operation.Definition });
        }

        foreach (ICapabilityContributor contributor in contributors)
        {
            contributor.Contribute(rest);
        }

        statement.Rest.Add(rest);
        return statement;
    }

    private IEnumerable<CapabilityStatement.SearchParamComponent> SearchParams(string type) =>
        searchParameters.ForType(type)
            .DistinctBy(p => p.Code)
            .OrderBy(p => p.Code, StringComparer.Ordinal)
            .Select(p => new CapabilityStatement.SearchParamComponent
            {
                Name = p.Code,
                Definition = p.Url,
                Type = p.Type,
                Documentation = p.Description,
            });

    private CapabilityStatement.ResourceComponent ResourceEntry(string type)
    {
        var resource = new CapabilityStatement.ResourceComponent
        {
            Type = type,
            Profile = $"http://hl7.org/fhir/StructureDefinition/{type}",
            Versioning = CapabilityStatement.ResourceVersionPolicy.VersionedUpdate,
            ReadHistory = true,
            UpdateCreate = true,
            ConditionalCreate = true,
            ConditionalUpdate = true,
            ConditionalRead = CapabilityStatement.ConditionalReadStatus.FullSupport,
            ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.Multiple,
            ReferencePolicy = [CapabilityStatement.ReferenceHandlingPolicy.Literal, CapabilityStatement.ReferenceHandlingPolicy.Logical],
        };
        foreach (CapabilityStatement.TypeRestfulInteraction interaction in TypeInteractions)
        {
            resource.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = interaction });
        }

        resource.SearchParam.AddRange(SearchParams(type));
        resource.SearchInclude = [.. searchParameters.ForType(type).Where(p => p.Type == SearchParamType.Reference).Select(p => $"{type}:{p.Code}").Order(StringComparer.Ordinal).Prepend("*")];
        resource.SearchRevInclude = ["*"];
        if (type is "Patient" or "Encounter")
        {
            resource.Operation.Add(new CapabilityStatement.OperationComponent
            {
                Name = "everything",
                Definition = $"http://hl7.org/fhir/OperationDefinition/{type}-everything",
            });
        }

        return resource;
    }
}
