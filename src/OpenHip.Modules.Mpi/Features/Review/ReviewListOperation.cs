using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Mpi.Features.Review;

/// <summary>
/// <c>Person/$mpi-review</c>: the open review Tasks (possible matches waiting for a person), oldest first, as a
/// searchset Bundle; <c>_count</c> limits the page. The same Tasks are also reachable by ordinary search
/// (<c>Task?code=http://openhip.org/fhir/CodeSystem/mpi-task|review-link&amp;status=requested</c>).
/// </summary>
internal sealed class ReviewListOperation(SearchService search) : IFhirOperation
{
    public string Name => "mpi-review";

    public OperationLevel Levels => OperationLevel.Type;

    public string Definition => "http://openhip.org/fhir/OperationDefinition/Person-mpi-review";

    public bool IsIdempotent => true;

    /// <summary>The queue is a Task search run with the caller's own policy.</summary>
    public OperationAccess Access { get; } = new(["Task"], AccessRights.Search, AppliesPolicy: true);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Type != "Person")
        {
            throw FhirException.BadRequest($"$mpi-review is defined on Person, not {request.Type}");
        }

        List<KeyValuePair<string, string>> parameters =
        [
            new("code", $"{ReviewQueue.CodeSystem}|{ReviewQueue.ReviewCode}"),
            new("status", "requested"),
            new("_sort", "_lastUpdated"),
        ];
        if (request.Query.TryGetValue("_count", out string[]? count) && count.Length > 0)
        {
            parameters.Add(new("_count", count[0]));
        }

        SearchResult result = await search.SearchAsync(SearchScope.ForType("Task"), parameters, SearchHandling.Strict, request.Context.Access, cancellationToken).ConfigureAwait(false);
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Id = Guid.NewGuid().ToString() };
        foreach (StoredResource stored in result.Page.Resources)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{request.Context.BaseUrl}/Task/{stored.Id}",
                Resource = FhirCodec.ParseStored(stored.Json.Span),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        bundle.Total = bundle.Entry.Count;
        return new OperationResult(200, bundle);
    }
}
