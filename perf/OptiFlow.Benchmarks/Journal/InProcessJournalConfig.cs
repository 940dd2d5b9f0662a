using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace OptiFlow.Benchmarks.Journal;

/// <summary>
/// The journal benchmarks' job: in-process (on the 2-core box BenchmarkDotNet's generated project does not build
/// within its 2-minute timeout), one launch, 3 warm-up and <see cref="IterationCount"/> measured iterations of one
/// invocation each (every iteration starts from a fresh file).
/// </summary>
public sealed class InProcessJournalConfig : ManualConfig
{
    /// <summary>Measured iterations per benchmark.</summary>
    public const int IterationCount = 10;

    /// <summary>Creates the config.</summary>
    public InProcessJournalConfig() =>
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(IterationCount)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
}
