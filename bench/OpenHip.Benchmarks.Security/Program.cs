using BenchmarkDotNet.Running;
using OpenHip.Benchmarks.Security;

// Bearer-token validation (issue #8: amortised under 20 µs):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Security -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(TokenValidationBenchmarks).Assembly).Run(args);
