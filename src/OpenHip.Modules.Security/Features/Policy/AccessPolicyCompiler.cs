using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Modules.Security.Features.BreakGlass;
using OpenHip.Modules.Security.Features.Consent;
using OpenHip.Modules.Security.Features.Labels;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>
/// Compiles one caller's claims, the stored consents and their break-the-glass grants into the one policy the engine
/// enforces. Scopes give rules; roles and purposes of use only take away (read-only, denied labels, masks); consent
/// gives read/search restrictions that a grant lifts for its patient.
/// </summary>
internal sealed class AccessPolicyCompiler(GranularFilterCompiler granular, IOptions<PolicyOptions> options, ILogger<AccessPolicyCompiler> logger)
{
    private const AccessRights ReadSearch = AccessRights.Read | AccessRights.Search;

    public AccessPolicy Compile(CallerClaims caller, ConsentSnapshot consents, IReadOnlyList<BreakGlassGrant> grants, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(consents);
        ArgumentNullException.ThrowIfNull(grants);
        PolicyOptions settings = options.Value;
        List<CallerShape> shapes = [.. caller.Roles.Select(r => settings.Roles.GetValueOrDefault(r)).Concat(caller.Purposes.Select(p => settings.Purposes.GetValueOrDefault(p))).OfType<CallerShape>()];

        List<AccessRule> rules = [];
        bool hidesExistence = false;
        foreach (SmartScope scope in ScopeParser.ParseAll(caller.Scope))
        {
            hidesExistence |= scope.Context != ScopeContext.System;
            AddRules(rules, scope, caller, settings);
        }

        if (shapes.Any(s => s.ReadOnly))
        {
            rules = [.. rules.Select(r => r with { Rights = r.Rights & ReadSearch }).Where(r => r.Rights != AccessRights.None)];
        }

        // The patient a token is about (or a resident user) always sees their own record, consent or not.
        string? ownPatient = caller.Patient ?? caller.ResidentPatient;
        HashSet<string> overridden = caller.IsSystem ? [] : [.. grants.Where(g => g.IsActiveAt(now)).Select(g => g.PatientId)];
        List<AccessRestriction> restrictions = [.. ConsentRestrictions.Compile(consents, caller.Source, caller.Purposes, ownPatient, overridden, now)];
        restrictions.AddRange(LabelDenials(caller, settings));

        List<MaskRule> masks = [.. shapes.SelectMany(s => s.Mask.Select(m => new MaskRule(m.Key, m.Value, s.MaskWhenLabels)))];
        var policy = new AccessPolicy(caller.Describe(), rules, restrictions, masks.Count == 0 ? null : new ElementMask(masks), hidesExistence);
        PolicyLog.Compiled(logger, policy.Caller, rules.Count, restrictions.Count);
        return policy;
    }

    private void AddRules(List<AccessRule> rules, SmartScope scope, CallerClaims caller, PolicyOptions settings)
    {
        SearchExpression? filter = null;
        if (scope.Query is not null && (filter = granular.Compile(scope.Type, scope.Query)) is null)
        {
            // Fail closed: a granular scope that cannot be enforced as written grants nothing (already logged).
            return;
        }

        switch (scope.Context)
        {
            case ScopeContext.Patient when caller.Patient is { } patient:
                AddPatientRules(rules, scope, patient, filter, settings);
                break;
            case ScopeContext.User when caller.ResidentPatient is { } resident:
                AddPatientRules(rules, scope, resident, filter, settings);
                break;
            case ScopeContext.User when caller.FhirUser?.StartsWith("RelatedPerson/", StringComparison.Ordinal) == true:
                Nothing(scope, caller, "a related person's access is not modelled yet");
                break;
            case ScopeContext.User:
                rules.Add(new AccessRule(scope.Type, scope.Rights, filter));
                break;
            case ScopeContext.System when caller.IsSystem:
                rules.Add(new AccessRule(scope.Type, scope.Rights, filter));
                break;
            case ScopeContext.System:
                Nothing(scope, caller, "system scopes belong to backend service clients");
                break;
            default:
                Nothing(scope, caller, "no patient in the token's launch context");
                break;
        }
    }

    /// <summary>
    /// A patient's own compartment for compartment types; read/search of directory and terminology types; nothing else
    /// (no writes outside the compartment, no other patient's data).
    /// </summary>
    private static readonly string[] CompartmentTypes = [.. PatientCompartmentDefinition.Parameters.Keys.Append("Patient").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static void AddPatientRules(List<AccessRule> rules, SmartScope scope, string patient, SearchExpression? filter, PolicyOptions settings)
    {
        var compartment = new CompartmentExpression(patient);
        AccessRights directoryRights = scope.Rights & ReadSearch;
        if (scope.Type == "*")
        {
            // Reads may name any type (outside the compartment they find nothing); writes only the compartment's types,
            // so changing a directory resource the caller can read is a plain 403, not a 404 for "not yours".
            AccessRights writeRights = scope.Rights & ~ReadSearch;
            if (directoryRights != AccessRights.None)
            {
                rules.Add(new AccessRule("*", directoryRights, compartment));
            }

            if (writeRights != AccessRights.None)
            {
                rules.AddRange(CompartmentTypes.Select(t => new AccessRule(t, writeRights, compartment)));
            }

            if (directoryRights != AccessRights.None)
            {
                rules.AddRange(settings.EffectiveDirectoryTypes.Select(t => new AccessRule(t, directoryRights)));
            }
        }
        else if (PatientCompartmentDefinition.Parameters.ContainsKey(scope.Type))
        {
            rules.Add(new AccessRule(scope.Type, scope.Rights, filter is null ? compartment : new AndExpression([compartment, filter])));
        }
        else if (settings.EffectiveDirectoryTypes.Contains(scope.Type, StringComparer.Ordinal) && directoryRights != AccessRights.None)
        {
            rules.Add(new AccessRule(scope.Type, directoryRights, filter));
        }
    }

    private static IEnumerable<AccessRestriction> LabelDenials(CallerClaims caller, PolicyOptions settings)
    {
        IEnumerable<(string Kind, string Name, CallerShape? Shape)> named =
            caller.Roles.Select(r => ("role", r, settings.Roles.GetValueOrDefault(r))).Concat(caller.Purposes.Select(p => ("purpose", p, settings.Purposes.GetValueOrDefault(p))));
        foreach ((string kind, string name, CallerShape? shape) in named)
        {
            if (shape is not { DeniedLabels.Count: > 0 })
            {
                continue;
            }

            List<SearchExpression> labels = [.. shape.DeniedLabels.Select(l => SecurityLabels.Split(l)).Select(l => (SearchExpression)new TokenExpression("_security", l.System, l.Code))];
            SearchExpression any = labels.Count == 1 ? labels[0] : new OrExpression(labels);
            yield return new AccessRestriction("*", AccessRights.All, new NotExpression(any), $"{kind} {name} may not see {string.Join(", ", shape.DeniedLabels)}");
        }
    }

    private void Nothing(SmartScope scope, CallerClaims caller, string reason) =>
        PolicyLog.ScopeGrantsNothing(logger, scope.Context.ToString().ToLowerInvariant(), scope.Type, caller.Describe(), reason);
}
