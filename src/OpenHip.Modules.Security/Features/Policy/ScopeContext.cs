namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>The SMART scope context: whose data a scope reaches.</summary>
internal enum ScopeContext
{
    /// <summary><c>patient/</c>: the data of the patient in the token's launch context.</summary>
    Patient,

    /// <summary><c>user/</c>: what the signed-in user may see.</summary>
    User,

    /// <summary><c>system/</c>: a backend service's own grants.</summary>
    System,
}
