using BenchmarkDotNet.Running;
using OpenHip.Benchmarks.Security;

// Bearer-token validation (issue #8: amortised under 20 µs):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- --filter '*Token*' --job short
// Audit log hot path (issue #9: under 50 µs of CPU per event):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- --filter '*Audit*' --job short
// Field encryption on the write path (issue #9: at most 5% on writes):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- --filter '*FieldEncryption*' --job short
BenchmarkSwitcher.FromAssembly(typeof(TokenValidationBenchmarks).Assembly).Run(args);
