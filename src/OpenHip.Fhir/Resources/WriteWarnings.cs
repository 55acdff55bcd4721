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

    /// <summary>
    /// Collects, for the current flow and what it awaits, apart from the request's warnings until <see cref="Held.Keep"/>:
    /// for a write that may yet be abandoned for another answer (a conditional create that meets a match inside its
    /// commit), whose warnings must then not reach the client.
    /// </summary>
    public static Held Hold()
    {
        List<FhirIssue>? outer = Collected.Value;
        if (outer is not null)
        {
            Collected.Value = [];
        }

        return new Held(outer);
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

    /// <summary>Warnings held back by <see cref="Hold"/>; disposing ends the hold, dropping them unless kept.</summary>
    public sealed class Held : IDisposable
    {
        private readonly List<FhirIssue>? _outer;
        private readonly List<FhirIssue>? _held;

        internal Held(List<FhirIssue>? outer)
        {
            _outer = outer;
            _held = outer is null ? null : Collected.Value;
        }

        /// <summary>Adds the held warnings to the request's.</summary>
        public void Keep()
        {
            if (_outer is null || _held is null)
            {
                return;
            }

            FhirIssue[] issues;
            lock (_held)
            {
                issues = [.. _held];
            }

            lock (_outer)
            {
                _outer.AddRange(issues);
            }
        }

        public void Dispose()
        {
            if (_outer is not null)
            {
                Collected.Value = _outer;
            }
        }
    }
}
