using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// Warnings about a write that do not stop it (a code outside an extensible binding, say). Write hooks add them while
/// the request runs; the HTTP layer starts one collection per request and returns it in the OperationOutcome a client
/// asks for with <c>Prefer: return=OperationOutcome</c>. Outside a request (imports, tests) warnings go nowhere.
/// </summary>
public static class WriteWarnings
{
    // The list flows down into every await of the request; hooks add to the same instance the HTTP layer reads.
    private static readonly AsyncLocal<List<FhirIssue>?> Collected = new();

    /// <summary>Starts collecting for the current request (and everything it awaits).</summary>
    public static void Begin() => Collected.Value = [];

    public static void Add(FhirIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        List<FhirIssue>? list = Collected.Value;
        if (list is not null)
        {
            lock (list)
            {
                list.Add(issue);
            }
        }
    }

    /// <summary>What has been collected so far in this request.</summary>
    public static IReadOnlyList<FhirIssue> Current
    {
        get
        {
            List<FhirIssue>? list = Collected.Value;
            if (list is null)
            {
                return [];
            }

            lock (list)
            {
                return [.. list];
            }
        }
    }
}
