namespace OptiFlow.PerfTests.Pipeline;

/// <summary>
/// What one run of a stage did, for the checks that every stage did the real work: the events and frames it handled,
/// and, for the stages that run the core, the core's book digest and signal stream (count and digest).
/// </summary>
/// <param name="Events">Ring events handled, or null for a stage that handles frames only (reading the file).</param>
/// <param name="Frames">Recording frames.</param>
/// <param name="BooksDigest">The core's <see cref="Engine.Core.MarketCore.BooksDigest"/>, or null when the stage runs no core.</param>
/// <param name="SignalCount">Signals the core emitted, or null.</param>
/// <param name="SignalDigest">The core's signal digest, or null.</param>
/// <param name="Problems">Anything the stage itself found wrong (a journal failure, a fault, a replay that differs), empty when none.</param>
internal sealed record StageWork(long? Events, long Frames, uint? BooksDigest, long? SignalCount, uint? SignalDigest, IReadOnlyList<string> Problems);
