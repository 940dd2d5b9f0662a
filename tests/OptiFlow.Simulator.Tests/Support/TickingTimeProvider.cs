namespace OptiFlow.Simulator.Tests.Support;

/// <summary>A fake clock that moves forward by a fixed step every time it is read (from any thread): time passes in
/// proportion to the work done, not to the wall clock, so a test reaches "a day later" without sleeping.</summary>
/// <remarks>Only <see cref="GetUtcNow"/> is faked; timers (<see cref="TimeProvider.CreateTimer"/>) stay real.</remarks>
internal sealed class TickingTimeProvider(TimeSpan step) : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _reads;

    /// <summary>Times the clock was read.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    public override DateTimeOffset GetUtcNow() => Start + (step * Interlocked.Increment(ref _reads));
}
