namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>Where signed checkpoints go outside the database, append-only: a file or an HTTP endpoint.</summary>
internal interface IAuditWitness
{
    /// <summary>Where it is, for logs.</summary>
    string Description { get; }

    Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>The newest checkpoint number of <paramref name="node"/> the witness holds, when it can say (a file can; an endpoint cannot).</summary>
    Task<long?> LastNumberAsync(string node, CancellationToken cancellationToken);
}
