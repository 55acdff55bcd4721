using System.Collections.Concurrent;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Access;

/// <summary>
/// One caller's compiled access: the rules their scopes and roles grant, the restrictions consent and labels impose,
/// and the mask for what they may see only in part. The engine applies it inside every store query (search, include,
/// chain, _has, history, conditional matching) and to every resource it returns; what it cannot apply it refuses (403).
/// </summary>
public sealed class AccessPolicy
{
    private readonly ConcurrentDictionary<(string Type, AccessRights Right), TypeAccess> _byType = new();
    private readonly ConcurrentDictionary<string, TypeAccess> _bySelection = new(StringComparer.Ordinal);

    public AccessPolicy(
        string caller,
        IReadOnlyList<AccessRule> rules,
        IReadOnlyList<AccessRestriction>? restrictions = null,
        IResourceMask? mask = null,
        bool hidesExistence = true)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Caller = caller;
        Rules = rules;
        Restrictions = restrictions ?? [];
        Mask = mask;
        HidesExistence = hidesExistence;
    }

    private AccessPolicy()
    {
        Caller = "unrestricted";
        Rules = [new AccessRule("*", AccessRights.All)];
        Restrictions = [];
        IsUnrestricted = true;
    }

    /// <summary>Auth off, or the engine's own work (MPI linking, seeding, imports): everything, unfiltered, unmasked.</summary>
    public static AccessPolicy Unrestricted { get; } = new();

    /// <summary>Who this is, for error messages and logs (client id, user).</summary>
    public string Caller { get; }

    public IReadOnlyList<AccessRule> Rules { get; }

    public IReadOnlyList<AccessRestriction> Restrictions { get; }

    public IResourceMask? Mask { get; }

    public bool IsUnrestricted { get; }

    /// <summary>
    /// True when a resource outside the caller's filter answers 404, exactly like one that does not exist (patient and
    /// user scopes), so the status code is no existence oracle. A type the caller has no right on at all is 403.
    /// </summary>
    public bool HidesExistence { get; }

    /// <summary>What the caller may do with <paramref name="right"/> on <paramref name="type"/>.</summary>
    public TypeAccess For(string type, AccessRights right)
    {
        if (IsUnrestricted)
        {
            return TypeAccess.Everything;
        }

        return _byType.GetOrAdd((type, right), key => Compile(key.Type, key.Right));
    }

    /// <summary>
    /// The condition for resources of any of <paramref name="types"/>: null when every one is visible in full, a
    /// per-type condition otherwise (types the caller has no right on match nothing). Types that share a condition
    /// share one branch, so a policy over every type stays a handful of branches.
    /// </summary>
    public SearchExpression? Visible(IReadOnlyList<string> types, AccessRights right)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (IsUnrestricted)
        {
            return null;
        }

        var accesses = types.Select(t => (Type: t, Access: For(t, right))).ToList();
        if (accesses.All(a => a.Access is { Allowed: true, Filter: null }))
        {
            return null;
        }

        if (types.Count == 1)
        {
            return accesses[0].Access.Allowed ? accesses[0].Access.Filter : new ResourceTypeExpression([]);
        }

        var branches = accesses.Where(a => a.Access.Allowed)
            .GroupBy(a => a.Access.Filter is null ? null : new FilterIdentity(a.Access.Filter))
            .Select(g =>
            {
                var typesOfBranch = new ResourceTypeExpression([.. g.Select(a => a.Type)]);
                return g.Key is null ? (SearchExpression)typesOfBranch : new AndExpression([typesOfBranch, g.Key.Filter]);
            })
            .ToList();
        return branches.Count == 1 ? branches[0] : new OrExpression(branches);
    }

    /// <summary>Whether the caller may invoke an operation that declares <paramref name="access"/>, invoked on <paramref name="invokedType"/>.</summary>
    public bool Allows(OperationAccess access, string? invokedType)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (IsUnrestricted || access.Rights == AccessRights.None)
        {
            return true;
        }

        IEnumerable<string> types = access.Types ?? (invokedType is null ? ["*"] : [invokedType]);
        foreach (string type in types)
        {
            foreach (AccessRights right in Enum.GetValues<AccessRights>().Where(r => r is not AccessRights.None and not AccessRights.All && access.Rights.HasFlag(r)))
            {
                TypeAccess granted = type == "*" ? ForEveryType(right) : For(type, right);
                if (!granted.Allowed || (granted.Filter is not null && !access.AppliesPolicy))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public override string ToString() => Caller;

    /// <summary>Groups types by the identity of their condition instance (records compare lists by reference anyway).</summary>
    private sealed class FilterIdentity(SearchExpression filter)
    {
        public SearchExpression Filter => filter;

        public override bool Equals(object? obj) => obj is FilterIdentity other && ReferenceEquals(other.Filter, filter);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(filter);
    }

    private TypeAccess ForEveryType(AccessRights right)
    {
        bool wildcard = Rules.Any(r => r.Type == "*" && r.Rights.HasFlag(right));
        if (!wildcard)
        {
            return TypeAccess.Denied;
        }

        return Rules.Any(r => r.Type == "*" && r.Rights.HasFlag(right) && r.Filter is null) && Restrictions.All(r => !r.Rights.HasFlag(right))
            ? TypeAccess.Everything
            : new TypeAccess(true, new IdExpression([]));
    }

    private TypeAccess Compile(string type, AccessRights right)
    {
        var granting = Rules.Where(r => (r.Type == "*" || r.Type == type) && r.Rights.HasFlag(right)).ToList();
        if (granting.Count == 0)
        {
            return TypeAccess.Denied;
        }

        // Types governed by the same rules and restrictions share one condition instance (see Visible).
        var applying = Restrictions.Where(r => (r.Type == "*" || r.Type == type) && r.Rights.HasFlag(right)).ToList();
        string key = string.Join(',', granting.Select(r => IndexOf(Rules, r))) + "|" + string.Join(',', applying.Select(r => IndexOf(Restrictions, r)));
        return _bySelection.GetOrAdd(key, _ => Combine(granting, applying));
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, T item)
        where T : class
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (ReferenceEquals(items[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    private static TypeAccess Combine(List<AccessRule> granting, List<AccessRestriction> applying)
    {
        SearchExpression? granted = granting.Any(r => r.Filter is null)
            ? null
            : granting.Count == 1 ? granting[0].Filter : new OrExpression([.. granting.Select(r => r.Filter!)]);
        var conditions = applying.Select(r => r.Condition).ToList();
        if (granted is not null)
        {
            conditions.Insert(0, granted);
        }

        return conditions.Count switch
        {
            0 => TypeAccess.Everything,
            1 => new TypeAccess(true, conditions[0]),
            _ => new TypeAccess(true, new AndExpression(conditions)),
        };
    }
}
