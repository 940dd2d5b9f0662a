using OptiFlow.PerfTests.Harness;

// Run: dotnet run -c Release --project perf/OptiFlow.PerfTests -- [--json PATH] [--runs N] [--cpus LIST] [--filter NAME] [--scale X]
return PerfRunner.Run(args);
