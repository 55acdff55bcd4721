using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Features.SearchModifiers;

/// <summary>
/// The engine's <see cref="ITokenSetResolver"/>: <c>:in</c>/<c>:not-in</c> take a value set's expansion (by canonical URL,
/// or <c>ValueSet/id</c>), <c>:below</c> a code with its descendants and <c>:above</c> a code with its ancestors, all
/// from the compiled catalog in memory.
/// </summary>
internal sealed class TerminologyTokenSetResolver(TerminologyCatalog catalog) : ITokenSetResolver
{
    private const string LocalValueSet = "ValueSet/";

    public IReadOnlyCollection<CodeToken> Resolve(TokenSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CatalogSnapshot snapshot = catalog.Current;
        if (request.Kind == TokenSetKind.ValueSet)
        {
            Hl7.Fhir.Model.ValueSet valueSet = request.Value.StartsWith(LocalValueSet, StringComparison.Ordinal)
                ? Features.Shared.CatalogLookup.ValueSet(snapshot, request.Value[LocalValueSet.Length..], null, null)
                : Features.Shared.CatalogLookup.ValueSet(snapshot, null, Canonicals.Split(request.Value).Url, Canonicals.Split(request.Value).Version);
            return [.. catalog.Expand(snapshot, valueSet).Entries.Select(e => new CodeToken(e.System, e.Code))];
        }

        string system = request.System ?? throw FhirException.BadRequest("A system is needed to search below or above a code");
        CompiledCodeSystem codeSystem = snapshot.FindCodeSystem(system, null)
            ?? throw FhirException.NotFound($"CodeSystem '{system}' is not known to this server");
        if (codeSystem.Find(request.Value) is not { } concept)
        {
            // A code the system lacks has nothing below or above it, but it may still be written on resources.
            return [new CodeToken(system, request.Value)];
        }

        IEnumerable<int> related = request.Kind == TokenSetKind.Below ? codeSystem.DescendantsOf(concept) : codeSystem.AncestorsOf(concept);
        return [.. related.Prepend(concept.Index).Select(i => new CodeToken(system, codeSystem.Concepts[i].Code))];
    }
}
