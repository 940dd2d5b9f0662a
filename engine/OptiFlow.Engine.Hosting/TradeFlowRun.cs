using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// Runs a recording's trades through <see cref="VpinBuckets"/> (what <c>optiflow flow</c> prints): every frame is
/// decoded by the producers' <see cref="BinanceFrameDecoder"/>, and each <c>trade</c> event feeds its symbol's buckets.
/// </summary>
/// <remarks>
/// <para>
/// <b>Which trades.</b> Only <c>trade</c> events (<see cref="MarketEventKind.Trade"/>) whose execution type is
/// <c>MARKET</c> (spot trades have none and all count). A futures trade with another <c>X</c> (insurance fund, ADL) is
/// not an aggressive order meeting the book: it is skipped and counted. <c>aggTrade</c> events are skipped and counted
/// too: an aggTrade re-reports the fills of the trade stream (a recording of both would count every fill twice), and it
/// carries no <c>X</c>, so non-market fills could not be told apart.
/// </para>
/// <para>
/// This drives the buckets directly over decoded events, on the calling thread, not through an engine session's
/// core: the core has no trade evaluators yet. Cold path: allocates the reader, decoder and state; the loop itself is
/// allocation-free per frame (the reader's and decoder's steady state, and <see cref="VpinBuckets.OnTrade{TSink}"/>).
/// Not thread-safe; one call per thread.
/// </para>
/// </remarks>
public static class TradeFlowRun
{
    /// <summary>Reads every frame of <paramref name="input"/> and feeds its market trades to a new <see cref="VpinBuckets"/>.</summary>
    /// <typeparam name="TSink">The row sink's type.</typeparam>
    /// <param name="input">The recording.</param>
    /// <param name="bucketVolume">Bucket volume <c>V</c>, 10⁻⁸ base units; positive.</param>
    /// <param name="window">Buckets per VPIN window <c>N</c>; at least 1.</param>
    /// <param name="sink">Receives a row per completed bucket from each symbol's <c>N</c>-th on.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive bucket volume or window.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static TradeFlowResult Run<TSink>(RecordingInput input, long bucketVolume, int window, ref TSink sink)
        where TSink : IVpinBucketSink
    {
        ArgumentNullException.ThrowIfNull(input);
        var capacity = Math.Max(1, input.Symbols.Count); // the table is frozen: ids run from 0 to Count − 1
        var buckets = new VpinBuckets(capacity, bucketVolume, window);
        var decoder = new BinanceFrameDecoder(input.Market, input.Symbols);
        var levels = new DepthLevelBuffer();
        var traded = new bool[capacity];
        var rows = new CountingSink<TSink>(sink);
        long frames = 0, nonMarket = 0, aggTrades = 0, errors = 0, damaged = 0;
        var symbols = 0;
        using (var reader = input.OpenReader())
        {
            var slot = default(MarketEvent);
            while (true)
            {
                RecordedFrame frame;
                try
                {
                    if (!reader.TryRead(out frame))
                    {
                        break;
                    }
                }
                catch (DamagedRecordingException)
                {
                    damaged++;
                    continue;
                }

                frames++;
                if (frame.LineFormatError)
                {
                    errors++;
                    continue;
                }

                slot = default;
                var outcome = decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint);
                if (outcome == FrameOutcome.Error)
                {
                    errors++;
                    continue;
                }

                if (outcome != FrameOutcome.Event)
                {
                    continue;
                }

                if (slot.Kind == MarketEventKind.AggTrade)
                {
                    aggTrades++;
                }
                else if (slot.Kind == MarketEventKind.Trade)
                {
                    if ((slot.Flags & MarketEventFlags.NonMarketTrade) != 0)
                    {
                        nonMarket++;
                        continue;
                    }

                    if (!traded[slot.SymbolId])
                    {
                        traded[slot.SymbolId] = true;
                        symbols++;
                    }

                    buckets.OnTrade(slot.SymbolId, slot.Quantity, (slot.Flags & MarketEventFlags.BuyerIsMaker) != 0, slot.EventTimeMs, ref rows);
                }
            }
        }

        sink = rows.Inner;
        return new TradeFlowResult
        {
            Frames = frames,
            Trades = buckets.Trades,
            NonMarketTrades = nonMarket,
            AggTrades = aggTrades,
            DecodeErrors = errors,
            DamagedInputs = damaged,
            Buckets = buckets.Buckets,
            Rows = rows.Rows,
            Symbols = symbols,
        };
    }

    /// <summary>Counts the rows on their way to the caller's sink.</summary>
    private struct CountingSink<TSink>(TSink inner) : IVpinBucketSink
        where TSink : IVpinBucketSink
    {
        public TSink Inner = inner;
        public long Rows;

        public void OnBucket(in VpinBucket bucket)
        {
            Rows++;
            Inner.OnBucket(in bucket);
        }
    }
}
