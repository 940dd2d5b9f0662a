namespace OptiFlow.PerfTests.Pipeline;

/// <summary>The verdict on every run of every stage, and the core's result they were compared with.</summary>
/// <param name="Failures">One line per failed check (stage, run, what differed); empty when all passed.</param>
/// <param name="BooksDigest">The first core's book digest, or null when no stage ran a core.</param>
/// <param name="SignalCount">Its signal count.</param>
/// <param name="SignalDigest">Its signal digest.</param>
internal sealed record StageChecks(IReadOnlyList<string> Failures, uint? BooksDigest, long? SignalCount, uint? SignalDigest);
