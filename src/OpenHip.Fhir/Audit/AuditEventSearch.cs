using System.Globalization;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;

namespace OpenHip.Fhir.Audit;

/// <summary>
/// AuditEvent search, answered from the audit log's own indexes (patient, agent, time) instead of the resource tables,
/// where AuditEvents never are: <c>patient</c>, <c>agent</c>, <c>date</c> (eq/ge/gt/le/lt, repeatable for a window),
/// <c>_count</c> and the <c>_cursor</c> it issues, oldest first unless <c>_sort=-date</c> asks for the newest first.
/// Any other parameter is refused (400) rather than ignored: a security officer must not take a broader list for the
/// one they asked for. A caller whose AuditEvent access is limited to patient compartments (a resident's
/// patient-scoped token) sees those patients' events only.
/// </summary>
public sealed class AuditEventSearch(RegionTimeZone zone, IAuditEventReader? reader = null)
{
    public const int DefaultCount = 50;
    public const int MaxCount = 1_000;

    /// <summary>False when the audit log is off: AuditEvent search is then an ordinary (empty) search.</summary>
    public bool IsAvailable => reader is not null;

    public async Task<AuditEventResult> SearchAsync(IReadOnlyList<KeyValuePair<string, string>> parameters, AccessPolicy access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(access);
        if (reader is null)
        {
            throw new InvalidOperationException("The audit log is off");
        }

        var applied = new List<KeyValuePair<string, string>>();
        string? patient = null;
        string? agent = null;
        string? cursor = null;
        DateTimeOffset? from = null;
        DateTimeOffset? until = null;
        int count = DefaultCount;
        string? sort = null;
        foreach ((string name, string value) in parameters)
        {
            switch (name)
            {
                case "patient":
                    patient = Single(patient, name, PatientId(value));
                    break;
                case "agent":
                    agent = Single(agent, name, value);
                    break;
                case "date":
                    (from, until) = Narrow(from, until, value);
                    break;
                case "_count":
                    count = Count(value);
                    break;
                case "_sort":
                    sort = Single(sort, name, value) is "date" or "-date"
                        ? value
                        : throw FhirException.BadRequest($"AuditEvent search sorts by date (_sort=date, oldest first) or -date (newest first), not '{value}'", name);
                    break;
                case "_cursor":
                    cursor = value;
                    continue;
                case "_format" or "_pretty":
                    continue;
                default:
                    throw FhirException.BadRequest($"AuditEvent search supports patient, agent, date, _count and _sort; '{name}' is not supported", name);
            }

            applied.Add(new(name, value));
        }

        if (Patients(access) is { } allowed)
        {
            patient ??= allowed.Count == 1 ? allowed.First() : throw FhirException.Forbidden("Name the patient whose AuditEvents you want (patient=...)");
            if (!allowed.Contains(patient))
            {
                // As for any resource outside a patient-scoped caller's compartment: nothing there, not a refusal.
                return new AuditEventResult([], Query(applied), null);
            }
        }

        AuditEventPage page = await reader.SearchAsync(new AuditQuery(patient, agent, from, until, count, cursor, sort == "-date"), cancellationToken).ConfigureAwait(false);
        return new AuditEventResult([.. page.Events.Select(e => AccessGuard.Mask(access, e))], Query(applied), page.Next);
    }

    /// <summary>Null when the caller may search every AuditEvent; otherwise the only patients whose events they may see.</summary>
    private static HashSet<string>? Patients(AccessPolicy access)
    {
        TypeAccess search = AccessGuard.Require(access, "AuditEvent", AccessRights.Search);
        return search.Filter switch
        {
            null => null,
            CompartmentExpression one => new HashSet<string>(StringComparer.Ordinal) { one.PatientId },
            CompartmentSetExpression some => some.PatientIds.ToHashSet(StringComparer.Ordinal),

            // The log has no index entries to judge another condition by.
            _ => throw FhirException.Forbidden($"The access granted to {access} allows AuditEvent search only within patient compartments"),
        };
    }

    private (DateTimeOffset? From, DateTimeOffset? Until) Narrow(DateTimeOffset? from, DateTimeOffset? until, string value)
    {
        string prefix = value.Length > 2 && char.IsAsciiLetter(value[0]) ? value[..2] : "eq";
        string date = prefix == "eq" && !value.StartsWith("eq", StringComparison.Ordinal) ? value : value[2..];
        if (!DateRange.TryParse(date, zone.Zone, out DateTimeOffset low, out DateTimeOffset high))
        {
            throw FhirException.BadRequest($"'{value}' is not a date search value", "date");
        }

        // Until is exclusive; high is the last millisecond the value covers.
        DateTimeOffset afterHigh = high == DateTimeOffset.MaxValue ? high : high.AddMilliseconds(1);
        (DateTimeOffset? lower, DateTimeOffset? upper) = prefix switch
        {
            "eq" => ((DateTimeOffset?)low, (DateTimeOffset?)afterHigh),
            "ge" => (low, null),
            "gt" => (afterHigh, null),
            "le" => (null, afterHigh),
            "lt" => (null, low),
            _ => throw FhirException.BadRequest($"AuditEvent date search supports the prefixes eq, ge, gt, le and lt, not '{prefix}'", "date"),
        };
        return (Later(from, lower), Earlier(until, upper));
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>The id of a <c>patient</c> value (an id or <c>Patient/id</c>); 400 when it is neither.</summary>
    public static string PatientId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string id = value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value;
        return Resources.ResourceIds.IsValidId(id) ? id : throw FhirException.BadRequest($"'{value}' is not a Patient reference", "patient");
    }

    private static string Single(string? previous, string name, string value) =>
        previous is null ? value : throw FhirException.BadRequest($"AuditEvent search takes one {name}", name);

    private static int Count(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0
            ? Math.Min(count, MaxCount)
            : throw FhirException.BadRequest($"_count must be a positive whole number, not '{value}'", "_count");

    private static string Query(List<KeyValuePair<string, string>> applied) =>
        string.Join('&', applied.Select(p => $"{QueryStringEncoding.Encode(p.Key)}={QueryStringEncoding.Encode(p.Value)}"));
}
