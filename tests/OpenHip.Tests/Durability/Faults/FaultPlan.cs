using OpenHip.Fhir.Faults;

namespace OpenHip.Tests.Durability.Faults;

/// <summary>How one round of a fault run ends.</summary>
internal enum FaultPlan
{
    /// <summary>kill -9 from outside at a random moment of a write burst.</summary>
    RandomKill,

    /// <summary>The server dies at <see cref="FaultPoints.AfterCommitBeforeResponse"/>.</summary>
    AfterCommitBeforeResponse,

    /// <summary>The server dies at <see cref="FaultPoints.InsideTransaction"/>.</summary>
    InsideTransaction,

    /// <summary>The server dies at <see cref="FaultPoints.CheckpointSigning"/>.</summary>
    CheckpointSigning,

    /// <summary>`openhip keys rotate` dies at <see cref="FaultPoints.KeyRotation"/> during a burst, is run again, then a random kill.</summary>
    KeyRotation,

    /// <summary>The database loses its newest migration, a start dies at <see cref="FaultPoints.Migration"/>, then a normal round.</summary>
    Migration,
}

internal static class FaultPlans
{
    // After each round whose server is armed comes one whose is not: only an unarmed server can be checked over HTTP
    // and by `audit verify` without the armed point firing under the check.
    private static readonly FaultPlan[] Cycle =
    [
        FaultPlan.AfterCommitBeforeResponse, FaultPlan.RandomKill, FaultPlan.InsideTransaction, FaultPlan.KeyRotation,
        FaultPlan.CheckpointSigning, FaultPlan.RandomKill,
    ];

    /// <summary>Round 1 fills the database, round 2 interrupts a migration of it, then the cycle.</summary>
    public static FaultPlan For(int round) => round switch
    {
        1 => FaultPlan.RandomKill,
        2 => FaultPlan.Migration,
        _ => Cycle[(round - 3) % Cycle.Length],
    };

    /// <summary>The point the server of such a round is armed with, if any.</summary>
    public static string? ServerPoint(this FaultPlan plan) => plan switch
    {
        FaultPlan.AfterCommitBeforeResponse => FaultPoints.AfterCommitBeforeResponse,
        FaultPlan.InsideTransaction => FaultPoints.InsideTransaction,
        FaultPlan.CheckpointSigning => FaultPoints.CheckpointSigning,
        _ => null,
    };
}
