namespace OptiFlow.PerfTests.Pipeline;

/// <summary>One run of one stage: its timing and what it did.</summary>
/// <param name="Sample">The timing.</param>
/// <param name="Work">The work, for the checks.</param>
internal sealed record StageOutcome(StageSample Sample, StageWork Work);
