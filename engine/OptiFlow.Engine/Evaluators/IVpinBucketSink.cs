namespace OptiFlow.Engine.Evaluators;

/// <summary>Receives the buckets <see cref="VpinBuckets.OnTrade{TSink}"/> completes.</summary>
/// <remarks>
/// Called on the thread that feeds the trades, once per completed bucket from the window's <c>N</c>-th on, in order.
/// Implement it on a struct to let the JIT specialise the call (no interface dispatch); a class works too (one
/// interface call per bucket, not per trade). Implementations should not allocate if the caller's path must not.
/// </remarks>
public interface IVpinBucketSink
{
    /// <summary>One completed bucket.</summary>
    /// <param name="bucket">The bucket (a copy owned by the caller until the call returns).</param>
    void OnBucket(in VpinBucket bucket);
}
