namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary>One override: <paramref name="Subject"/> may read <paramref name="PatientId"/>'s record despite consent until <paramref name="End"/>.</summary>
internal sealed record BreakGlassGrant(string TaskId, string Subject, string PatientId, DateTimeOffset Start, DateTimeOffset End)
{
    public bool IsActiveAt(DateTimeOffset now) => Start <= now && now < End;
}
