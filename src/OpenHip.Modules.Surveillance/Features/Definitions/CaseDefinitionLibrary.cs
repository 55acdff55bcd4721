using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

namespace OpenHip.Modules.Surveillance.Features.Definitions;

/// <summary>
/// Case definitions installed at run time live in one <c>Library</c> (id <see cref="Id"/>, the JSON of the definitions
/// file as its content): an ordinary resource, so every change is versioned, audited and seen by every node.
/// </summary>
internal static class CaseDefinitionLibrary
{
    public const string Id = "surveillance-case-definitions";

    public const string ContentType = "application/json";

    public static Library Create(string json) => new()
    {
        Id = Id,
        Status = PublicationStatus.Active,
        Name = "SurveillanceCaseDefinitions",
        Title = "Surveillance case definitions in force",
        Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/library-type", "asset-collection"),
        Description = "The notifiable-disease case definitions OpenHIP's surveillance module detects cases with (docs/surveillance.md, Case definitions).",
        Content = [new Attachment { ContentType = ContentType, Data = Encoding.UTF8.GetBytes(json) }],
    };

    /// <summary>The definitions the Library holds.</summary>
    /// <exception cref="FormatException">The Library holds no JSON content, or the definitions are malformed.</exception>
    public static IReadOnlyList<CaseDefinition> Parse(Library library)
    {
        ArgumentNullException.ThrowIfNull(library);
        Attachment? content = library.Content.FirstOrDefault(c => c.ContentType == ContentType && c.Data is not null);
        return content is null
            ? throw new FormatException($"Library/{Id} needs one content attachment of type {ContentType} with the definitions as data")
            : CaseDefinitionJson.Parse(Encoding.UTF8.GetString(content.Data!));
    }
}
