using System.Runtime.CompilerServices;

namespace OptiFlow.Engine;

/// <summary>
/// Tells a consumer how far it may read: the producer's cursor, bounded by the sequences of the consumers it
/// depends on (pipeline and diamond topologies), through a wait strategy; and carries the halt alert.
/// </summary>
/// <remarks>
/// Thread-safety: one consumer thread calls <see cref="WaitFor"/>; any thread may call <see cref="Alert"/>.
/// Allocation-free after construction.
/// </remarks>
public sealed class SequenceBarrier
{
    /// <summary>Returned by <see cref="WaitFor"/> when the barrier was alerted (halt requested).</summary>
    public const long AlertedSequence = long.MinValue;

    private readonly Sequence[] _dependents;
    private volatile bool _alerted;

    /// <summary>Creates a barrier.</summary>
    /// <param name="cursor">The producer's published cursor.</param>
    /// <param name="waitStrategy">How to wait.</param>
    /// <param name="dependents">Consumer sequences this consumer must stay behind; empty to follow the cursor alone.</param>
    public SequenceBarrier(Sequence cursor, IWaitStrategy waitStrategy, params Sequence[] dependents)
    {
        Cursor = cursor;
        WaitStrategy = waitStrategy;
        _dependents = dependents;
    }

    /// <summary>The producer's cursor.</summary>
    public Sequence Cursor { get; }

    /// <summary>The wait strategy.</summary>
    public IWaitStrategy WaitStrategy { get; }

    /// <summary>Whether <see cref="Alert"/> has been called since the last <see cref="ClearAlert"/>.</summary>
    public bool IsAlerted => _alerted;

    /// <summary>The highest sequence a consumer may read now: the cursor, or the minimum of the dependents (acquire reads).</summary>
    public long AvailableSequence
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _dependents.Length == 0 ? Cursor.Value : Math.Min(Cursor.Value, Sequence.Minimum(_dependents));
    }

    /// <summary>Waits until <paramref name="sequence"/> is available.</summary>
    /// <param name="sequence">The next sequence the consumer wants.</param>
    /// <returns>The highest available sequence, or <see cref="AlertedSequence"/> once alerted.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long WaitFor(long sequence)
    {
        if (_alerted)
        {
            return AlertedSequence;
        }

        var available = AvailableSequence;
        return available >= sequence ? available : WaitStrategy.WaitFor(sequence, this);
    }

    /// <summary>Asks the consumer to stop: a wait in progress returns <see cref="AlertedSequence"/> promptly.</summary>
    public void Alert()
    {
        _alerted = true;
        WaitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>Clears the alert so the barrier can be used again.</summary>
    public void ClearAlert() => _alerted = false;
}
