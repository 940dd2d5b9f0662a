using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>The body of an <see cref="EvaluatorRecordType.OrderFlowImbalance"/> record (<see cref="FlowImbalanceEvaluator"/>).</summary>
/// <remarks>Layout (body offsets): 0 <see cref="OfiLow"/>, 8 <see cref="OfiHigh"/> (the window sum as a little-endian
/// Int128), 16 <see cref="LastEvent"/> (the newest <c>e_n</c>, saturated to int64), 24 <see cref="Updates"/>, 32
/// <see cref="Window"/> (int32), 36 reserved (int32), 40 <see cref="BestBid"/>, 48 <see cref="BestAsk"/>. 56 bytes.</remarks>
[StructLayout(LayoutKind.Sequential)]
public struct OrderFlowImbalanceBody
{
    /// <summary>Low 64 bits of the OFI window sum (10⁻⁸ base units).</summary>
    public ulong OfiLow;

    /// <summary>High 64 bits of the OFI window sum.</summary>
    public long OfiHigh;

    /// <summary>The newest update's <c>e_n</c>, 10⁻⁸ base units, saturated to the int64 range.</summary>
    public long LastEvent;

    /// <summary>Best-quote updates of the symbol with an <c>e_n</c> so far.</summary>
    public long Updates;

    /// <summary>Updates summed.</summary>
    public int Window;

    /// <summary>Reserved, zero.</summary>
    public int Reserved;

    /// <summary>Best bid at the update, 10⁻⁸ units.</summary>
    public long BestBid;

    /// <summary>Best ask at the update, 10⁻⁸ units.</summary>
    public long BestAsk;

    /// <summary>The OFI window sum, 10⁻⁸ base units.</summary>
    public readonly Int128 Ofi => new((ulong)OfiHigh, OfiLow);
}

/// <summary>The body of an <see cref="EvaluatorRecordType.TradeFlowImbalance"/> record (<see cref="FlowImbalanceEvaluator"/>).</summary>
/// <remarks>Layout (body offsets): 0 <see cref="Tfi"/> (double), 8 <see cref="BuyVolume"/>, 16 <see cref="SellVolume"/>
/// (10⁻⁸ base units, saturated to int64), 24 <see cref="Trades"/>, 32 <see cref="Window"/> (int32), 36 reserved. 40 bytes.</remarks>
[StructLayout(LayoutKind.Sequential)]
public struct TradeFlowImbalanceBody
{
    /// <summary>(buy − sell) / (buy + sell) over the window; NaN when both are 0.</summary>
    public double Tfi;

    /// <summary>Buyer-initiated volume in the window.</summary>
    public long BuyVolume;

    /// <summary>Seller-initiated volume in the window.</summary>
    public long SellVolume;

    /// <summary>Trades of the symbol so far.</summary>
    public long Trades;

    /// <summary>Trades per window.</summary>
    public int Window;

    /// <summary>Reserved, zero.</summary>
    public int Reserved;
}
