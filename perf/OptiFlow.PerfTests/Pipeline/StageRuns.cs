using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>The measured runs of one stage (the warm-up round excluded) and their statistics.</summary>
/// <param name="Key">Short name (<c>decode</c>, <c>core</c>, …), as <c>--stages</c> takes it.</param>
/// <param name="Label">The letter and a few words, for the table.</param>
/// <param name="Description">What exactly is timed.</param>
internal sealed record StageRuns(string Key, string Label, string Description)
{
    /// <summary>The first warm-up round's run: the first time this stage's code ran in the process (unless an earlier stage of the
    /// round ran the same code: (d) runs the decoder, core and journal that (a) to (c) warmed), so it includes JIT tiering.</summary>
    public StageSample? WarmUp { get; set; }

    /// <summary>One sample per measured run, in run order.</summary>
    public List<StageSample> Samples { get; } = [];

    public double MedianEventsPerSecond => Stats.Median(Samples.Select(s => s.EventsPerSecond).ToList());

    public double MinEventsPerSecond => Samples.Min(s => s.EventsPerSecond);

    public double MaxEventsPerSecond => Samples.Max(s => s.EventsPerSecond);

    public double MedianFramesPerSecond => Stats.Median(Samples.Select(s => s.FramesPerSecond).ToList());

    public double MinFramesPerSecond => Samples.Min(s => s.FramesPerSecond);

    public double MaxFramesPerSecond => Samples.Max(s => s.FramesPerSecond);

    public double MedianSeconds => Stats.Median(Samples.Select(s => s.Seconds).ToList());

    /// <summary>The measured runs with under <see cref="StageSample.JitFreeSeconds"/> of JIT compilation in their window.</summary>
    public IReadOnlyList<StageSample> JitFree => Samples.Where(s => s.JitSeconds < StageSample.JitFreeSeconds).ToList();

    /// <summary>Median events per second of the runs in <see cref="JitFree"/>; NaN when there are none.</summary>
    public double MedianJitFreeEventsPerSecond => JitFree is { Count: > 0 } free ? Stats.Median(free.Select(s => s.EventsPerSecond).ToList()) : double.NaN;

    /// <summary>Median JIT compilation time per run, in seconds (<see cref="StageSample.JitSeconds"/>).</summary>
    public double MedianJitSeconds => Stats.Median(Samples.Select(s => s.JitSeconds).ToList());

    /// <summary>Median CPU time of the whole process per run, in seconds (<see cref="StageSample.CpuSeconds"/>).</summary>
    public double MedianCpuSeconds => Stats.Median(Samples.Select(s => s.CpuSeconds).ToList());
}
