namespace OptiFlow.Engine.Telemetry;

/// <content>Reading the bucket counts from another thread while one thread records: interval snapshots.</content>
public sealed partial class LatencyHistogram
{
    /// <summary>The length of the bucket table: the size of a snapshot array for <see cref="AddCountsTo"/>.</summary>
    public static int BucketTableLength => (BucketCount * SubBucketHalfCount) + SubBucketHalfCount;

    /// <summary>
    /// Adds each bucket's current count into <paramref name="snapshot"/> (index for index), reading each count once with
    /// <see cref="Volatile.Read(ref readonly long)"/>: safe to call on a control thread while the recording thread records.
    /// </summary>
    /// <param name="snapshot">At least <see cref="BucketTableLength"/> long; its counts are added to, not replaced.</param>
    /// <returns>The sum of the counts read (what was added).</returns>
    /// <remarks>
    /// <para>Costs the recording thread nothing: <see cref="Record"/> is unchanged (plain increments). Each count is a
    /// naturally aligned 64-bit word, so each read is atomic (x64 and Arm64) and sees a value the recorder stored; on one
    /// location reads never go back in time, so the counts of successive snapshots never decrease.</para>
    /// <para>The snapshot is not atomic across buckets: the scan takes a few µs (7,744 words), and a value recorded
    /// meanwhile is in this snapshot if its bucket had not been read yet, else in the next one. Interval deltas
    /// (this snapshot − the previous one) therefore move a value recorded during the scan into the neighbouring
    /// interval at worst; no value is lost or counted twice, and once the recording thread has stopped (joined) a
    /// snapshot is exact. <see cref="TotalCount"/>, <see cref="Max"/> and the sum are separate fields, not read here.</para>
    /// <para>Allocation-free; touches the whole 61 KiB table (keep it off a hot thread's CPU cache if you can).</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="snapshot"/> is shorter than <see cref="BucketTableLength"/>.</exception>
    public long AddCountsTo(long[] snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Length < _counts.Length)
        {
            throw new ArgumentException($"A snapshot needs {_counts.Length} counts, not {snapshot.Length}.", nameof(snapshot));
        }

        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Volatile.Read(ref _counts[i]);
            snapshot[i] += count;
            total += count;
        }

        return total;
    }

    /// <summary>The largest recorded value as last stored by the recording thread (ns), read atomically from any thread.</summary>
    /// <remarks>A snapshot's buckets may already hold a value whose maximum is not visible yet: use it only to cap a
    /// bucket's value when it lies inside that bucket. Allocation-free.</remarks>
    public long MaxSnapshot => Volatile.Read(ref _max);

    /// <summary>The smallest value that maps to bucket <paramref name="index"/> of a snapshot (ns).</summary>
    /// <param name="index">0 to <see cref="BucketTableLength"/> − 1.</param>
    /// <returns>Value in ns.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the table.</exception>
    public static long BucketLowestValueNs(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BucketTableLength);
        return LowestEquivalentValue(index);
    }

    /// <summary>The largest value that maps to bucket <paramref name="index"/> of a snapshot (ns): the value percentiles report.</summary>
    /// <param name="index">0 to <see cref="BucketTableLength"/> − 1.</param>
    /// <returns>Value in ns.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the table.</exception>
    public static long BucketHighestValueNs(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BucketTableLength);
        return HighestEquivalentValue(index);
    }
}
