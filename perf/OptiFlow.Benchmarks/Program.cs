using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project perf/OptiFlow.Benchmarks -- --filter '*RingBuffer*'
BenchmarkSwitcher.FromAssembly(typeof(OptiFlow.Benchmarks.BenchmarkAssembly).Assembly).Run(args);
