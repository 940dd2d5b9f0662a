namespace OptiFlow.Simulator.Tests.Support;

/// <summary>A fake clock driven by its reads (from any thread): 1 ms per read, plus one jump of <paramref name="jump"/>
/// at read number <paramref name="jumpAtRead"/>, so a test reaches "a day later" at a chosen point of the work done,
/// without sleeping.</summary>
/// <remarks>Only <see cref="GetUtcNow"/> is faked; timers (<see cref="TimeProvider.CreateTimer"/>) stay real.</remarks>
internal sealed class JumpingTimeProvider(long jumpAtRead, TimeSpan jump) : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _reads;

    /// <summary>Times the clock was read.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    public override DateTimeOffset GetUtcNow()
    {
        var reads = Interlocked.Increment(ref _reads);
        return Start + TimeSpan.FromMilliseconds(reads) + (reads >= jumpAtRead ? jump : TimeSpan.Zero);
    }
}
