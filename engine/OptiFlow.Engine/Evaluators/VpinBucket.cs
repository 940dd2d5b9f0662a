using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>One completed volume bucket of <see cref="VpinBuckets"/> and the VPIN over the window it closes.</summary>
/// <remarks>
/// Plain data, no references: a value copied to an <see cref="IVpinBucketSink"/>. Volumes are 10⁻⁸ base units
/// (fixed point, exact); <see cref="BuyVolume"/> + <see cref="SellVolume"/> is the bucket volume.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct VpinBucket
{
    /// <summary>The symbol.</summary>
    public int SymbolId;

    /// <summary>Padding to keep the 8-byte fields aligned.</summary>
    public int Reserved;

    /// <summary>The bucket's number for its symbol, from 1.</summary>
    public long Bucket;

    /// <summary>Event time <c>E</c> of the trade that completed the bucket, ms since the Unix epoch.</summary>
    public long EventTimeMs;

    /// <summary>Buyer-initiated volume in the bucket (trades with <c>m</c> false), 10⁻⁸ base units.</summary>
    public long BuyVolume;

    /// <summary>Seller-initiated volume in the bucket (trades with <c>m</c> true), 10⁻⁸ base units.</summary>
    public long SellVolume;

    /// <summary>VPIN after this bucket: <c>Σ |buy − sell|</c> over the last <c>N</c> buckets divided by <c>N·V</c>; in [0, 1].</summary>
    public double Vpin;
}
