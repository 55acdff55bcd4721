namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>An immutable view of every active consent at one generation; policies compiled from it name the generation.</summary>
internal sealed record ConsentSnapshot(long Generation, IReadOnlyList<ConsentDirective> Directives)
{
    public static ConsentSnapshot Empty { get; } = new(0, []);

    /// <summary>The first period start or end after <paramref name="now"/>: a policy compiled now is stale from then on.</summary>
    public DateTimeOffset? NextChangeAfter(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (DenyRule rule in Directives.SelectMany(d => d.Denials))
        {
            foreach (DateTimeOffset? boundary in new[] { rule.Start, rule.End })
            {
                if (boundary > now && (next is null || boundary < next))
                {
                    next = boundary;
                }
            }
        }

        return next;
    }
}
