using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Features.Linking;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Features.Review;

/// <summary>
/// Possible matches for a person to decide, as FHIR <c>Task</c> resources (code <c>review-link</c>): <c>focus</c> and
/// <c>for</c> the Patient being linked, an input <c>candidate</c> (the other Patient) and <c>score</c>. One Task per
/// pair whatever the order or the number of deliveries: its id is a hash of the two Patient ids, and an existing Task
/// (open or decided) is never rewritten by the linker — a rejected pair stays rejected.
/// </summary>
internal sealed class ReviewQueue(IFhirStore store, GoldenPersons persons)
{
    public const string CodeSystem = "http://openhip.org/fhir/CodeSystem/mpi-task";
    public const string ReviewCode = "review-link";
    public const string CandidateInput = "candidate";
    public const string ScoreInput = "score";

    public static string TaskId(string a, string b)
    {
        (string first, string second) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(first + "\n" + second));
        return "mpi-review-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Whether a review Task of the pair exists, open or decided (the linker never rewrites one).</summary>
    public async Task<bool> ExistsAsync(string a, string b, CancellationToken ct) =>
        await store.ReadCurrentAsync("Task", TaskId(a, b), ct).ConfigureAwait(false) is not null;

    public FhirTask NewTask(string patientId, string candidateId, double probability) =>
        new()
        {
            Id = TaskId(patientId, candidateId),
            Status = FhirTask.TaskStatus.Requested,
            Intent = FhirTask.TaskIntent.Proposal,
            Priority = RequestPriority.Routine,
            Code = new CodeableConcept(CodeSystem, ReviewCode, "Review a possible patient match"),
            Focus = new ResourceReference(GoldenPersons.PatientPrefix + patientId),
            For = new ResourceReference(GoldenPersons.PatientPrefix + patientId),
            Meta = new Meta { Source = persons.Writer.Source },
            Input =
            [
                new FhirTask.ParameterComponent { Type = new CodeableConcept(CodeSystem, CandidateInput), Value = new ResourceReference(GoldenPersons.PatientPrefix + candidateId) },
                new FhirTask.ParameterComponent { Type = new CodeableConcept(CodeSystem, ScoreInput), Value = new FhirDecimal(Math.Round((decimal)probability, 4)) },
            ],
        };

    public async Task<bool> WasRejectedAsync(string a, string b, CancellationToken ct)
    {
        StoredResource? stored = await store.ReadCurrentAsync("Task", TaskId(a, b), ct).ConfigureAwait(false);
        return stored is { IsDeleted: false } && FhirCodec.ParseStored(stored.Json.Span) is FhirTask { Status: FhirTask.TaskStatus.Rejected };
    }

    /// <summary>The two Patients of a review Task: the one being linked and the candidate.</summary>
    public static (string Patient, string Candidate)? Pair(FhirTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        string? focus = task.Focus?.Reference;
        string? candidate = task.Input.FirstOrDefault(i => i.Type?.Coding.Any(c => c.Code == CandidateInput) == true)?.Value is ResourceReference r ? r.Reference : null;
        return focus?.StartsWith(GoldenPersons.PatientPrefix, StringComparison.Ordinal) == true && candidate?.StartsWith(GoldenPersons.PatientPrefix, StringComparison.Ordinal) == true
            ? (focus[GoldenPersons.PatientPrefix.Length..], candidate[GoldenPersons.PatientPrefix.Length..])
            : null;
    }

    public static bool IsReview(FhirTask task) => task.Code?.Coding.Any(c => c.System == CodeSystem && c.Code == ReviewCode) == true;

    public static string Decided(bool accepted) => accepted ? "accepted" : "rejected";

    public static string Now(DateTimeOffset now) => now.ToString("yyyy-MM-ddTHH:mm:ss.fffK", CultureInfo.InvariantCulture);
}
