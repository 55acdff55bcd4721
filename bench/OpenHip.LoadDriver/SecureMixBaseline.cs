namespace OpenHip.LoadDriver;

/// <summary>What `secure-mix` compares its secured, audited server against.</summary>
internal enum SecureMixBaseline
{
    /// <summary>A server started with --no-auth.</summary>
    NoAuth,

    /// <summary>A secured server with only the audit log off.</summary>
    AuditOff,

    /// <summary>The same secured, audited server, usually another build (--baseline-server).</summary>
    AuditOn,
}
