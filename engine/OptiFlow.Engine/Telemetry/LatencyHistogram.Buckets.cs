namespace OptiFlow.Engine.Telemetry;

/// <content>Enumeration of the non-empty buckets, for exporters (reports, HdrHistogram files).</content>
public sealed partial class LatencyHistogram
{
    /// <summary>The non-empty buckets, lowest values first.</summary>
    /// <returns>An allocation-free enumerator over <see cref="LatencyBucket"/> values.</returns>
    /// <remarks>
    /// Allocation-free (a struct enumerator over the count table). Read it only when no thread is recording (after the
    /// recording thread stopped, or on that thread): the counts are plain fields, not published with any ordering.
    /// </remarks>
    /// <example><code>
    /// foreach (var bucket in histogram.Buckets())
    /// {
    ///     export.RecordValueWithCount(bucket.HighestValueNs, bucket.Count);
    /// }
    /// </code></example>
    public BucketEnumerator Buckets() => new(_counts);

    /// <summary>Enumerates the non-empty buckets of a <see cref="LatencyHistogram"/>; see <see cref="Buckets"/>.</summary>
    /// <remarks>A struct: allocation-free; not thread-safe.</remarks>
    public struct BucketEnumerator
    {
        private readonly long[] _counts;
        private int _index;

        internal BucketEnumerator(long[] counts)
        {
            _counts = counts;
            _index = -1;
        }

        /// <summary>The bucket at the current position.</summary>
        public readonly LatencyBucket Current =>
            new(LowestEquivalentValue(_index), HighestEquivalentValue(_index), _counts[_index]);

        /// <summary>Returns this enumerator (so it can be used in <c>foreach</c>).</summary>
        /// <returns>This enumerator, at its current position.</returns>
        public readonly BucketEnumerator GetEnumerator() => this;

        /// <summary>Moves to the next non-empty bucket.</summary>
        /// <returns>False when there is none.</returns>
        public bool MoveNext()
        {
            while (++_index < _counts.Length)
            {
                if (_counts[_index] != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
