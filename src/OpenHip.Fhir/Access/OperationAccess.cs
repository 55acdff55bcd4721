namespace OpenHip.Fhir.Access;

/// <summary>
/// What an operation reads or changes, so the dispatcher can fail closed: the caller needs <see cref="Rights"/>
/// on each of <see cref="Types"/> ("*" = every type; null = the type the operation was invoked on), unfiltered unless
/// the operation <see cref="AppliesPolicy"/> itself (it passes the request context to policy-aware services).
/// </summary>
public sealed record OperationAccess(IReadOnlyList<string>? Types, AccessRights Rights, bool AppliesPolicy = false)
{
    /// <summary>The default: only callers with every right on every type (auth off, an operator's full grant).</summary>
    public static OperationAccess Unrestricted { get; } = new(["*"], AccessRights.All);

    /// <summary>Reads the invoked type's data without needing instance-level filtering (terminology, validation).</summary>
    public static OperationAccess ReadsInvokedType { get; } = new(null, AccessRights.Read);

    /// <summary>Changes nothing and reads nothing stored (e.g. <c>$validate</c> of a body).</summary>
    public static OperationAccess None { get; } = new([], AccessRights.None);
}
