namespace OptiFlow.Benchmarks;

/// <summary>Anchor type for <c>BenchmarkSwitcher.FromAssembly</c>.</summary>
public static class BenchmarkAssembly
{
}
