using Hl7.Fhir.Model;
using OpenHip.Fhir.Operations;

namespace OpenHip.Fhir.Capabilities;

/// <summary>
/// The CapabilityStatement generated from what the server actually has: every R4 resource type with the interactions
/// the engine implements, the search parameters that are indexed, and the registered operations.
/// </summary>
public sealed class CapabilityStatementBuilder(OperationRegistry operations, TimeProvider time)
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
        foreach (IFhirOperation operation in operations.All)
        {
            rest.Operation.Add(new CapabilityStatement.OperationComponent { Name = operation.Name, Definition = operation.Definition });
        }

        statement.Rest.Add(rest);
        return statement;
    }

    private static CapabilityStatement.ResourceComponent ResourceEntry(string type)
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

        return resource;
    }
}
