using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Features.Linking;

namespace OpenHip.Modules.Mpi.Features.Pix;

/// <summary>
/// IHE PIXm Query (ITI-83), <c>Patient/$ihe-pix</c>: <c>sourceIdentifier</c> (token <c>system|value</c>, required)
/// and optional <c>targetSystem</c> (repeatable) give a Parameters with one <c>targetIdentifier</c> per identifier of
/// the same person in the wanted domains and one <c>targetId</c> per Patient of that person. The person is the golden
/// Person of the Patient that carries the identifier; a Patient whose linking is still in the outbox answers for
/// itself. As ITI-83 says: no or malformed sourceIdentifier 400, an identifier no Patient carries 404, a targetSystem
/// no Patient uses 403, a person without identifiers in the target domains 200 with an empty Parameters.
/// </summary>
internal sealed class PixOperation(IFhirStore store, GoldenPersons persons) : IFhirOperation
{
    public string Name => "ihe-pix";

    public OperationLevel Levels => OperationLevel.Type;

    public string Definition => "https://profiles.ihe.net/ITI/PIXm/OperationDefinition/IHE.PIXm.pix";

    public bool IsIdempotent => true;

    /// <summary>Cross-references span every institution's Patients, so it needs unfiltered Patient access.</summary>
    public OperationAccess Access { get; } = new(["Patient", "Person"], AccessRights.Read | AccessRights.Search);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Type != "Patient")
        {
            throw FhirException.BadRequest($"$ihe-pix is defined on Patient, not {request.Type}");
        }

        List<string> sources = Values(request, "sourceIdentifier");
        if (sources.Count != 1)
        {
            throw new FhirException(FhirErrorKind.BadRequest, sources.Count == 0 ? FhirIssue.Required("sourceIdentifier") : FhirIssue.Invalid("sourceIdentifier is given once", "sourceIdentifier"));
        }

        int bar = sources[0].IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || bar == sources[0].Length - 1)
        {
            throw FhirException.BadRequest("sourceIdentifier is system|value, both parts required", "sourceIdentifier");
        }

        string system = sources[0][..bar];
        string value = sources[0][(bar + 1)..];
        List<string> targetSystems = Values(request, "targetSystem");
        foreach (string target in targetSystems)
        {
            if (!await IsKnownSystemAsync(target, cancellationToken).ConfigureAwait(false))
            {
                throw new FhirException(FhirErrorKind.Forbidden, new FhirIssue(OperationOutcome.IssueType.CodeInvalid, $"targetSystem '{target}' is not a domain this server knows", "targetSystem"));
            }
        }

        IReadOnlyList<string> carriers = await store.FindByTokensAsync(
            new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue(system, value)])], 100), cancellationToken).ConfigureAwait(false);
        if (carriers.Count == 0)
        {
            throw new FhirException(FhirErrorKind.NotFound, new FhirIssue(OperationOutcome.IssueType.NotFound, "sourceIdentifier Patient Identifier not found", "sourceIdentifier"));
        }

        var patientIds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string carrier in carriers)
        {
            patientIds.Add(carrier);
            foreach (GoldenPersons.Golden golden in await persons.OfPatientAsync(carrier, cancellationToken).ConfigureAwait(false))
            {
                patientIds.UnionWith(GoldenPersons.MemberIds(golden.Person));
            }
        }

        var output = new Parameters();
        var identifiers = new List<Identifier>();
        foreach (string id in patientIds)
        {
            StoredResource? stored = await store.ReadCurrentAsync("Patient", id, cancellationToken).ConfigureAwait(false);
            if (stored is not { IsDeleted: false } || FhirCodec.ParseStored(stored.Json.Span) is not Patient patient)
            {
                continue;
            }

            identifiers.AddRange(patient.Identifier.Where(i =>
                !string.IsNullOrEmpty(i.Value)
                && !(i.System == system && i.Value == value)
                && (targetSystems.Count == 0 || targetSystems.Contains(i.System ?? string.Empty))));
            if (targetSystems.Count == 0 || patient.Identifier.Any(i => targetSystems.Contains(i.System ?? string.Empty)))
            {
                output.Parameter.Add(new Parameters.ParameterComponent { Name = "targetId", Value = new ResourceReference($"{request.Context.BaseUrl}/Patient/{id}") });
            }
        }

        foreach (Identifier identifier in identifiers.DistinctBy(i => (i.System, i.Value)))
        {
            output.Parameter.Insert(0, new Parameters.ParameterComponent { Name = "targetIdentifier", Value = new Identifier(identifier.System, identifier.Value) { Use = identifier.Use } });
        }

        return new OperationResult(200, output);
    }

    private async Task<bool> IsKnownSystemAsync(string system, CancellationToken ct) =>
        (await store.FindByTokensAsync(new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue(system, null)])], 1), ct).ConfigureAwait(false)).Count > 0;

    /// <summary>A parameter's values from the URL (GET) or the Parameters body (POST).</summary>
    private static List<string> Values(OperationRequest request, string name)
    {
        List<string> values = request.Query.TryGetValue(name, out string[]? query) ? [.. query.Where(v => !string.IsNullOrWhiteSpace(v))] : [];
        if (request.Body is Parameters parameters)
        {
            values.AddRange(parameters.Parameter.Where(p => p.Name == name).Select(p => p.Value switch
            {
                Identifier i => $"{i.System}|{i.Value}",
                PrimitiveType primitive => primitive.ToString(),
                _ => null,
            }).OfType<string>());
        }

        return values;
    }
}
