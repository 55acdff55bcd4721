using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>A <see cref="CodeCriterion"/> ready to test codings: inline codes by prefix rule, value sets as their expansion.</summary>
internal sealed class CodeMatcher
{
    private readonly string? _system;
    private readonly string[] _listed;
    private readonly HashSet<CodeToken>? _expansion;

    public CodeMatcher(CodeCriterion criterion, Func<string, IReadOnlyCollection<CodeToken>> expandValueSet)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(expandValueSet);
        _system = criterion.System;
        _listed = [.. criterion.Codes];
        _expansion = criterion.ValueSet is null ? null : [.. expandValueSet(criterion.ValueSet)];
    }

    public bool Matches(Coding coding)
    {
        if (coding.Code is not { Length: > 0 } code || coding.System is not { Length: > 0 } system)
        {
            return false;
        }

        if (_expansion is not null)
        {
            return _expansion.Contains(new CodeToken(system, code));
        }

        if (!string.Equals(system, _system, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (string listed in _listed)
        {
            if (CodeCriterion.CoversCode(listed, code))
            {
                return true;
            }
        }

        return false;
    }

    public bool MatchesAny(CodeableConcept? concept) => concept is not null && concept.Coding.Any(Matches);
}
