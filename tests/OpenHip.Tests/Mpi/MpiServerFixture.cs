using OpenHip.Tests.Http;

namespace OpenHip.Tests.Mpi;

/// <summary>A real server with the MPI linking every Patient change, as in production (the base fixture turns it off).</summary>
public sealed class MpiServerFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Modules:Mpi:LinkOnWrite"] = "true" };
}
