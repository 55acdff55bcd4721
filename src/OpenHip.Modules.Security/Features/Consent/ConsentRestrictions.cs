using OpenHip.Fhir.Access;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>
/// Compiles the consents that hold against one caller into read/search restrictions over patient compartments:
/// opt-outs as <c>NOT(CompartmentSet(patients) AND NOT(_source = caller's institution))</c>, label restrictions as
/// <c>NOT(CompartmentSet(patients) AND _security = label AND NOT(_source = caller's institution))</c>. Data an
/// institution wrote itself stays visible to it. Writes are not restricted: consent governs disclosure, and a hospital
/// must be able to record the care it gives.
/// </summary>
internal static class ConsentRestrictions
{
    public const AccessRights Rights = AccessRights.Read | AccessRights.Search;

    /// <param name="ownPatient">The patient the caller is or acts for (patient token, resident user): their own record is never withheld from them.</param>
    /// <param name="overridden">Patients for whom a break-the-glass grant lifts the consents.</param>
    public static IReadOnlyList<AccessRestriction> Compile(
        ConsentSnapshot consents,
        string? source,
        IReadOnlyList<string> purposes,
        string? ownPatient,
        IReadOnlyCollection<string> overridden,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(consents);
        HashSet<string> optedOut = new(StringComparer.Ordinal);
        SortedDictionary<string, HashSet<string>> byLabel = new(StringComparer.Ordinal);
        foreach (ConsentDirective directive in consents.Directives)
        {
            if (directive.PatientId == ownPatient || overridden.Contains(directive.PatientId))
            {
                continue;
            }

            foreach (DenyRule rule in directive.Denials.Where(r => r.IsActiveAt(now) && r.AppliesTo(source, purposes)))
            {
                if (rule.Labels.Count == 0)
                {
                    optedOut.Add(directive.PatientId);
                    continue;
                }

                foreach (string label in rule.Labels)
                {
                    if (!byLabel.TryGetValue(label, out HashSet<string>? patients))
                    {
                        byLabel[label] = patients = new(StringComparer.Ordinal);
                    }

                    patients.Add(directive.PatientId);
                }
            }
        }

        List<AccessRestriction> restrictions = [];
        if (optedOut.Count > 0)
        {
            restrictions.Add(new AccessRestriction("*", Rights, Withhold(optedOut, null, source), $"consent: {optedOut.Count} residents opted out of sharing"));
        }

        foreach ((string label, HashSet<string> patients) in byLabel)
        {
            int bar = label.IndexOf('|', StringComparison.Ordinal);
            var labelled = new TokenExpression("_security", label[..bar], label[(bar + 1)..]);
            restrictions.Add(new AccessRestriction("*", Rights, Withhold(patients, labelled, source), $"consent: {patients.Count} residents withhold {label}"));
        }

        return restrictions;
    }

    private static NotExpression Withhold(HashSet<string> patients, SearchExpression? labelled, string? source)
    {
        List<SearchExpression> withheld = [Compartment(patients)];
        if (labelled is not null)
        {
            withheld.Add(labelled);
        }

        if (source is not null)
        {
            withheld.Add(new NotExpression(new UriExpression("_source", UriMatch.Exact, source)));
        }

        return new NotExpression(withheld.Count == 1 ? withheld[0] : new AndExpression(withheld));
    }

    private static SearchExpression Compartment(HashSet<string> patients) =>
        patients.Count == 1 ? new CompartmentExpression(patients.First()) : new CompartmentSetExpression([.. patients.Order(StringComparer.Ordinal)]);
}
