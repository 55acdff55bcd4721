using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenHip.Fhir.Api.Http;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Transactions;
using static OpenHip.Fhir.Api.Endpoints.FhirHandlers;

namespace OpenHip.Fhir.Api.Endpoints;

/// <summary>Search at type, system and compartment level, by GET or by POST to <c>_search</c> with a form body.</summary>
internal static class SearchEndpoints
{
    public static void Map(IEndpointRouteBuilder fhir)
    {
        fhir.MapGet("/", (HttpContext context) => SearchAsync(context, SearchScope.System));
        fhir.MapPost("/_search", (HttpContext context) => SearchAsync(context, SearchScope.System));
        fhir.MapPost("/{type}/_search", (HttpContext context, string type) => SearchAsync(context, TypeScope(type)));
    }

    /// <summary>GET [base]/Type: the entry point <see cref="TypeEndpoints"/> hands over to.</summary>
    public static Task SearchTypeAsync(HttpContext context, string type) => SearchAsync(context, TypeScope(type));

    /// <summary>GET [base]/Patient/123/Observation (or <c>*</c>).</summary>
    public static Task SearchCompartmentAsync(HttpContext context, string compartmentType, string id, string type)
    {
        if (compartmentType != "Patient")
        {
            throw FhirException.NotFound($"Compartment search is available for the Patient compartment, not {compartmentType}");
        }

        ResourceIds.EnsureValidId(id);
        if (type != "*")
        {
            ResourceIds.EnsureKnownType(type);
        }

        return SearchAsync(context, SearchScope.ForCompartment(compartmentType, id, type));
    }

    /// <summary>Patient/123/$everything and Encounter/123/$everything: a paged searchset.</summary>
    public static async Task EverythingAsync(HttpContext context, string type, string id)
    {
        AuditItems.Set(context, "operation", "$everything");
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureValidId(id);
        List<KeyValuePair<string, string>> parameters = await ParametersAsync(context.Request, formAllowed: true).ConfigureAwait(false);
        SearchResult result = await Service<EverythingService>(context).EverythingAsync(type, id, parameters, RequestContext(context).Access, context.RequestAborted).ConfigureAwait(false);
        await AuditPatients.NoteAsync(context, [.. result.Page.Resources, .. result.Included]).ConfigureAwait(false);
        string baseUrl = Options(context).BaseUrl.TrimEnd('/');
        await FhirResponseWriter.WriteBundleAsync(context, SearchBundle.Build(result, $"{baseUrl}/{type}/{id}/$everything"), baseUrl).ConfigureAwait(false);
    }

    private static SearchScope TypeScope(string type)
    {
        ResourceIds.EnsureKnownType(type);
        return SearchScope.ForType(type);
    }

    private static async Task SearchAsync(HttpContext context, SearchScope scope)
    {
        AuditItems.Set(context, scope.CompartmentId is not null ? "search-compartment" : scope.Type is null ? "search-system" : "search-type", scope.Type);
        List<KeyValuePair<string, string>> parameters = await ParametersAsync(context.Request).ConfigureAwait(false);
        if (scope is { Type: "AuditEvent", CompartmentId: null } && Service<AuditEventSearch>(context) is { IsAvailable: true } audit)
        {
            await SearchAuditEventsAsync(context, audit, parameters).ConfigureAwait(false);
            return;
        }

        SearchResult result = await Service<SearchService>(context)
            .SearchAsync(scope, parameters, PreferHeader.Handling(context.Request), RequestContext(context).Access, context.RequestAborted).ConfigureAwait(false);
        await AuditPatients.NoteAsync(context, [.. result.Page.Resources, .. result.Included]).ConfigureAwait(false);
        string baseUrl = Options(context).BaseUrl.TrimEnd('/');
        await FhirResponseWriter.WriteBundleAsync(context, SearchBundle.Build(result, LinkBase(baseUrl, scope)), baseUrl).ConfigureAwait(false);
    }

    /// <summary>AuditEvent search is served from the audit log (<see cref="AuditEventSearch"/>).</summary>
    private static async Task SearchAuditEventsAsync(HttpContext context, AuditEventSearch audit, List<KeyValuePair<string, string>> parameters)
    {
        AuditEventResult result = await audit.SearchAsync(parameters, RequestContext(context).Access, context.RequestAborted).ConfigureAwait(false);

        // Looking at who saw a resident's record is itself an access to that resident's data.
        if (parameters.FirstOrDefault(p => p.Key == "patient").Value is { } patient)
        {
            AuditItems.SetPatients(context, [AuditEventSearch.PatientId(patient)]);
        }

        string baseUrl = Options(context).BaseUrl.TrimEnd('/');
        string link = $"{baseUrl}/AuditEvent";
        var bundle = new ResponseBundle(Bundle.BundleType.Searchset);
        bundle.Links.Add(new("self", result.Query.Length == 0 ? link : $"{link}?{result.Query}"));
        if (result.Next is { } next)
        {
            string cursor = "_cursor=" + QueryStringEncoding.Encode(next);
            bundle.Links.Add(new("next", result.Query.Length == 0 ? $"{link}?{cursor}" : $"{link}?{result.Query}&{cursor}"));
        }

        bundle.Entries.AddRange(result.Events.Select(e => new ResponseEntry { FullUrl = $"{baseUrl}/AuditEvent/{e.Id}", ResourceJson = e.Json, SearchMode = Bundle.SearchEntryMode.Match }));
        await FhirResponseWriter.WriteBundleAsync(context, bundle, baseUrl).ConfigureAwait(false);
    }

    /// <summary>The query string, then (POST _search) the form body; result-shaping parameters the API owns are left out.</summary>
    private static async Task<List<KeyValuePair<string, string>>> ParametersAsync(HttpRequest request, bool formAllowed = false)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> query in request.Query)
        {
            parameters.AddRange(query.Value.Select(v => new KeyValuePair<string, string>(query.Key, v ?? string.Empty)));
        }

        if (HttpMethods.IsPost(request.Method) && !(formAllowed && request.ContentLength is null or 0))
        {
            if (!request.HasFormContentType)
            {
                throw new FhirException(
                    FhirErrorKind.UnsupportedMediaType,
                    FhirIssue.Invalid("POST _search takes its parameters as application/x-www-form-urlencoded"));
            }

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                // Form limits (value count, key and value length) are the request's fault, not the server's.
                throw FhirException.BadRequest($"The search form is too large: {ex.Message}");
            }

            foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> field in form)
            {
                parameters.AddRange(field.Value.Select(v => new KeyValuePair<string, string>(field.Key, v ?? string.Empty)));
            }
        }

        return parameters;
    }

    private static string LinkBase(string baseUrl, SearchScope scope) =>
        scope.CompartmentId is not null ? $"{baseUrl}/{scope.CompartmentType}/{scope.CompartmentId}/{scope.Type ?? "*"}"
        : scope.Type is not null ? $"{baseUrl}/{scope.Type}"
        : baseUrl;
}
