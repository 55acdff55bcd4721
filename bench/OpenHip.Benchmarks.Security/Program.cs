using BenchmarkDotNet.Running;
using OpenHip.Benchmarks.Security;

// Bearer-token validation (issue #8: amortised under 20 µs):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- --filter '*Token*' --job short
// Audit log hot path (issue #9: under 50 µs of CPU per event):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- --filter '*Audit*' --job short
// An audit checkpoint's SM2 signature and check:
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- --filter '*CheckpointSignature*' --job short
// Field encryption on the write path (issue #9: at most 5% on writes):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- --filter '*FieldEncryption*' --job short
// Whether an audit event's cost grows with the log (SQLite patient index):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- audit-growth [--events 3000000] [--patients 50000] [--agents 50]
if (args.Length > 0 && args[0] == "audit-growth")
{
    await AuditIndexGrowth.RunAsync(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(TokenValidationBenchmarks).Assembly).Run(args);
