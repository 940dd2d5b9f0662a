using System.Globalization;
using System.Text.Json;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Generation;

public sealed partial class SpotUniverseGenerator
{
    /// <summary>One generation: the walk, the quotes, the schedule of mispricings and the writers.</summary>
    private sealed class Run
    {
        private const int MaxMispricingDraws = 256;
        private const double QuantitySpread = 50;
        private const int BufferSize = 1 << 16;
        private const int MaxLineLength = 512;

        private readonly Universe _universe;
        private readonly SpotUniverseGeneratorOptions _options;
        private readonly Stream _recording;
        private readonly Stream? _sidecar;
        private readonly byte[] _buffer = new byte[BufferSize];
        private readonly double[] _logValues;
        private readonly long[] _walkedTo;
        private readonly int[] _spreadTicks;
        private readonly long[] _updateIds;
        private readonly long[] _bids;
        private readonly long[] _asks;
        private readonly bool[] _written;
        private readonly double _stepPerFrame;
        private readonly double _feeFactor;
        private readonly List<InjectedMispricing> _mispricings = [];
        private GeneratorRandom _random;
        private int _buffered;
        private int _writtenCount;
        private int _skipped;
        private int _activeSymbol = -1;
        private long _activeEnd;
        private double _activeFactor = 1;
        private InjectedMispricing? _pending; // the mispricing whose first frame is being written: Write adds its u
        private double _maxBackgroundEdgeBps = double.NegativeInfinity;
        private double _maxBackgroundDeviationBps;

        public Run(Universe universe, SpotUniverseGeneratorOptions options, Stream recording, Stream? sidecar)
        {
            _universe = universe;
            _options = options;
            _recording = recording;
            _sidecar = sidecar;
            _random = new GeneratorRandom(options.Seed);
            _logValues = (double[])universe.LogValues.Clone();
            _walkedTo = new long[_logValues.Length];
            var count = universe.Symbols.Length;
            _spreadTicks = new int[count];
            _updateIds = new long[count];
            _bids = new long[count];
            _asks = new long[count];
            _written = new bool[count];
            for (var s = 0; s < count; s++)
            {
                _spreadTicks[s] = _random.NextInt(options.MinSpreadTicks, options.MaxSpreadTicks);
                _updateIds[s] = 100_000_000L + _random.NextInt(int.MaxValue);
            }

            // A uniform step on [-1, 1) has variance 1/3: scale by √3 for a standard deviation of StepBps per frame.
            _stepPerFrame = options.StepBps / 10_000 * Math.Sqrt(3);
            var fee = 1 - (options.TakerFeeBps / 10_000);
            _feeFactor = fee * fee * fee;
        }

        public SpotGenerationSummary Execute()
        {
            var frames = _options.FrameCount;
            var injections = Schedule();
            var nextInjection = 0;
            for (long n = 1; n <= frames; n++)
            {
                int s;
                if (_activeSymbol >= 0 && n == _activeEnd)
                {
                    s = _activeSymbol;
                    _activeSymbol = -1;
                    _activeFactor = 1;
                }
                else if (nextInjection < injections.Length && n == injections[nextInjection])
                {
                    nextInjection++;
                    s = Inject(n);
                }
                else
                {
                    s = _random.NextInt(_universe.Symbols.Length);
                }

                var factor = s == _activeSymbol ? _activeFactor : 1;
                var (bid, ask) = Quote(s, n, factor);
                Write(s, n, bid, ask);
                if (s != _activeSymbol)
                {
                    Measure(s);
                }
            }

            Flush();
            _recording.Flush();
            _sidecar?.Flush();
            var covered = _universe.Triangles.Length;
            return new SpotGenerationSummary
            {
                TradingSymbols = _universe.TradingSymbols,
                Triangles = _universe.AllTriangles,
                TriangleSymbols = _universe.TriangleSymbols,
                Symbols = _universe.SymbolNames,
                LeftOut = _universe.LeftOut,
                TrianglesCovered = covered,
                Frames = frames,
                SymbolsWritten = _writtenCount,
                Mispricings = _mispricings,
                MispricingsSkipped = _skipped,
                MaxBackgroundEdgeBps = _maxBackgroundEdgeBps,
                MaxBackgroundDeviationBps = _maxBackgroundDeviationBps,
            };
        }

        /// <summary>The injection frames: one in each of MispricingCount equal slots of the second half, leaving room for the window.</summary>
        private long[] Schedule()
        {
            var count = _options.MispricingCount;
            var result = new long[count];
            if (count == 0)
            {
                return result;
            }

            long start = (_options.FrameCount / 2) + 1;
            var length = _options.FrameCount - start + 1;
            var slot = length / count;
            var window = _options.MispricingFrames + 1;
            for (var k = 0; k < count; k++)
            {
                var room = slot - window;
                result[k] = start + (k * slot) + (room > 0 ? (long)(_random.NextDouble() * (room + 1)) : 0);
            }

            return result;
        }

        /// <summary>Draws a symbol and a direction whose shifted quote shows a positive edge on a triangle with known legs.</summary>
        private int Inject(long n)
        {
            for (var draw = 0; draw < MaxMispricingDraws; draw++)
            {
                var s = _random.NextInt(_universe.Symbols.Length);
                var direction = _random.NextInt(2) == 0 ? MispricingDirection.Rich : MispricingDirection.Cheap;
                var factor = 1 + ((direction == MispricingDirection.Rich ? 1 : -1) * _options.MispricingBps / 10_000);
                var (fairBid, fairAsk) = Quote(s, n, 1);
                var (bid, ask) = Quote(s, n, factor);
                var paths = new List<TrianglePath>();
                foreach (var t in _universe.TrianglesOf[s])
                {
                    ref readonly var triangle = ref _universe.Triangles[t];
                    if (!Known(triangle, except: s))
                    {
                        continue;
                    }

                    paths.Add(Path(triangle, s, bid, ask));
                }

                if (!paths.Exists(p => p.EdgeBps > 0))
                {
                    continue;
                }

                paths.Sort((x, y) => y.EdgeBps.CompareTo(x.EdgeBps));
                var symbol = _universe.Symbols[s];
                var mispricing = new InjectedMispricing
                {
                    Frame = n,
                    Line = n,
                    TimestampNs = Timestamp(n),
                    Symbol = symbol.Name,
                    UpdateId = 0, // the frame's u: set by Write
                    Direction = direction,
                    ShiftBps = _options.MispricingBps,
                    EndFrame = n + _options.MispricingFrames,
                    Bid = bid,
                    Ask = ask,
                    FairBid = fairBid,
                    FairAsk = fairAsk,
                    Triangles = paths,
                };
                _activeSymbol = s;
                _activeEnd = mispricing.EndFrame;
                _activeFactor = factor;
                _pending = mispricing;
                return s;
            }

            _skipped++;
            return _random.NextInt(_universe.Symbols.Length);
        }

        private bool Known(in Triangle triangle, int except) =>
            (triangle.Sab == except || _written[triangle.Sab])
            && (triangle.Sbc == except || _written[triangle.Sbc])
            && (triangle.Sca == except || _written[triangle.Sca]);

        /// <summary>The triangle's better direction and its edge after fees, with symbol <paramref name="s"/> at the given quote.</summary>
        private TrianglePath Path(in Triangle triangle, int s, long bid, long ask)
        {
            var forward = Rate(triangle.Sab, triangle.A, s, bid, ask) * Rate(triangle.Sbc, triangle.B, s, bid, ask) * Rate(triangle.Sca, triangle.C, s, bid, ask);
            var backward = Rate(triangle.Sca, triangle.A, s, bid, ask) * Rate(triangle.Sbc, triangle.C, s, bid, ask) * Rate(triangle.Sab, triangle.B, s, bid, ask);
            var names = _universe.AssetNames;
            var symbols = _universe.SymbolNames;
            return forward >= backward
                ? new TrianglePath([names[triangle.A], names[triangle.B], names[triangle.C]], [symbols[triangle.Sab], symbols[triangle.Sbc], symbols[triangle.Sca]], EdgeBps(forward))
                : new TrianglePath([names[triangle.A], names[triangle.C], names[triangle.B]], [symbols[triangle.Sca], symbols[triangle.Sbc], symbols[triangle.Sab]], EdgeBps(backward));
        }

        private double EdgeBps(double product) => Math.Round(((product * _feeFactor) - 1) * 10_000, 6);

        /// <summary>What one unit of <paramref name="from"/> buys as a taker on symbol <paramref name="leg"/>: sell the base at the bid, or buy it at the ask.</summary>
        private double Rate(int leg, int from, int s, long bid, long ask)
        {
            var legBid = leg == s ? bid : _bids[leg];
            var legAsk = leg == s ? ask : _asks[leg];
            return _universe.Symbols[leg].Base == from ? legBid / (double)FixedPoint.Scale : FixedPoint.Scale / (double)legAsk;
        }

        /// <summary>Background measures after a frame of <paramref name="s"/>: the best edge and the largest mid inconsistency of its complete triangles.</summary>
        private void Measure(int s)
        {
            foreach (var t in _universe.TrianglesOf[s])
            {
                ref readonly var triangle = ref _universe.Triangles[t];
                if (!Known(triangle, except: -1) || triangle.Sab == _activeSymbol || triangle.Sbc == _activeSymbol || triangle.Sca == _activeSymbol)
                {
                    continue;
                }

                var path = Path(triangle, s, _bids[s], _asks[s]);
                _maxBackgroundEdgeBps = Math.Max(_maxBackgroundEdgeBps, path.EdgeBps);
                var product = MidRate(triangle.Sab, triangle.A) * MidRate(triangle.Sbc, triangle.B) * MidRate(triangle.Sca, triangle.C);
                _maxBackgroundDeviationBps = Math.Max(_maxBackgroundDeviationBps, Math.Abs(PortableMath.Log(product)) * 10_000);
            }
        }

        private double MidRate(int leg, int from)
        {
            var mid = (_bids[leg] + (double)_asks[leg]) / 2;
            return _universe.Symbols[leg].Base == from ? mid / FixedPoint.Scale : FixedPoint.Scale / mid;
        }

        /// <summary>Moves an asset's log-value from the frame it was last walked to frame <paramref name="n"/>: one step of
        /// standard deviation StepBps × √(frames elapsed).</summary>
        private void Walk(int asset, long n)
        {
            var elapsed = n - _walkedTo[asset];
            if (elapsed <= 0)
            {
                return;
            }

            _walkedTo[asset] = n;
            _logValues[asset] += _stepPerFrame * Math.Sqrt(elapsed) * _random.NextSigned();
        }

        /// <summary>The quote of symbol <paramref name="s"/> at frame <paramref name="n"/>, its fair mid times <paramref name="factor"/>, on the PRICE_FILTER grid.</summary>
        private (long Bid, long Ask) Quote(int s, long n, double factor)
        {
            var symbol = _universe.Symbols[s];
            Walk(symbol.Base, n);
            Walk(symbol.Quote, n);
            var mid = PortableMath.Exp(_logValues[symbol.Base] - _logValues[symbol.Quote]) * FixedPoint.Scale * factor;
            var tick = symbol.TickSize;
            var spread = _spreadTicks[s] * tick;
            var k = (long)Math.Floor((mid - (spread / 2.0) - symbol.MinPrice) / tick);
            var lowest = symbol.MinPrice > 0 ? 0 : 1; // a bid of 0 is no price
            var bid = symbol.MinPrice + (Math.Max(k, lowest) * tick);
            var ask = bid + spread;
            if (symbol.MaxPrice > 0 && ask > symbol.MaxPrice)
            {
                // Never met with the fitted prices (they keep 25 % from the bounds); kept on the grid and inside the filter all the same.
                ask = symbol.MinPrice + ((symbol.MaxPrice - symbol.MinPrice) / tick * tick);
                bid = Math.Max(symbol.MinPrice + (lowest * tick), ask - spread);
            }

            return (bid, ask);
        }

        /// <summary>A quantity on the LOT_SIZE grid (minQty + k × stepSize, within maxQty), log-uniform from the least that
        /// meets the minimum notional at <paramref name="price"/> (minQty's grid point when none can) up to 50 times it.</summary>
        private long Quantity(GeneratedSymbol symbol, long price)
        {
            var step = symbol.StepSize;
            var kMax = (symbol.MaxQty - symbol.MinQty) / step;
            var kLow = symbol.MinQty > 0 ? 0L : 1L;
            if (symbol.MinNotional > 0)
            {
                var need = ((Int128)symbol.MinNotional * FixedPoint.Scale + price - 1) / price; // ceil, 10⁻⁸ units
                var kNeed = need <= symbol.MinQty ? 0 : (need - symbol.MinQty + step - 1) / step;
                if (kNeed <= kMax)
                {
                    kLow = Math.Max(kLow, (long)kNeed);
                }
            }

            kLow = Math.Min(kLow, kMax);
            var low = symbol.MinQty + (kLow * step);
            var target = low * PortableMath.Exp(_random.NextDouble() * PortableMath.Log(QuantitySpread));
            var k = Math.Clamp((long)Math.Floor((target - symbol.MinQty) / step), kLow, kMax);
            return symbol.MinQty + (k * step);
        }

        private long Timestamp(long n) => _options.StartTimestampNs + ((n - 1) * _options.FrameSpacingNs);

        private void Write(int s, long n, long bid, long ask)
        {
            var symbol = _universe.Symbols[s];
            var bidQty = Quantity(symbol, bid);
            var askQty = Quantity(symbol, ask);
            _updateIds[s] += _random.NextInt(1, 10);
            if (!_written[s])
            {
                _written[s] = true;
                _writtenCount++;
            }

            _bids[s] = bid;
            _asks[s] = ask;
            if (_buffered > BufferSize - MaxLineLength)
            {
                Flush();
            }

            var span = _buffer.AsSpan(_buffered);
            var p = Integer(span, Timestamp(n));
            span[p++] = (byte)' ';
            p += Bytes(span[p..], symbol.StreamPrefix);
            p += Integer(span[p..], _updateIds[s]);
            p += Bytes(span[p..], symbol.SymbolField);
            p += Decimal(span[p..], bid);
            p += Bytes(span[p..], "\",\"B\":\""u8);
            p += Decimal(span[p..], bidQty);
            p += Bytes(span[p..], "\",\"a\":\""u8);
            p += Decimal(span[p..], ask);
            p += Bytes(span[p..], "\",\"A\":\""u8);
            p += Decimal(span[p..], askQty);
            p += Bytes(span[p..], "\"}}\n"u8);
            _buffered += p;

            if (_pending is { } pending)
            {
                _pending = null;
                var injected = pending with { UpdateId = _updateIds[s] };
                _mispricings.Add(injected);
                WriteSidecar(injected);
            }
        }

        private void Flush()
        {
            _recording.Write(_buffer, 0, _buffered);
            _buffered = 0;
        }

        private void WriteSidecar(InjectedMispricing mispricing)
        {
            if (_sidecar is null)
            {
                return;
            }

            using var line = new MemoryStream();
            using (var json = new Utf8JsonWriter(line))
            {
                json.WriteStartObject();
                json.WriteNumber("frame", mispricing.Frame);
                json.WriteNumber("line", mispricing.Line);
                json.WriteNumber("timestampNs", mispricing.TimestampNs);
                json.WriteString("symbol", mispricing.Symbol);
                json.WriteNumber("u", mispricing.UpdateId);
                json.WriteString("direction", mispricing.Direction == MispricingDirection.Rich ? "rich" : "cheap");
                json.WriteNumber("shiftBps", mispricing.ShiftBps);
                json.WriteNumber("endFrame", mispricing.EndFrame);
                json.WriteString("bid", DecimalString(mispricing.Bid));
                json.WriteString("ask", DecimalString(mispricing.Ask));
                json.WriteString("fairBid", DecimalString(mispricing.FairBid));
                json.WriteString("fairAsk", DecimalString(mispricing.FairAsk));
                json.WriteStartArray("triangles");
                foreach (var triangle in mispricing.Triangles)
                {
                    json.WriteStartObject();
                    json.WriteStartArray("path");
                    foreach (var asset in triangle.Assets)
                    {
                        json.WriteStringValue(asset);
                    }

                    json.WriteEndArray();
                    json.WriteStartArray("symbols");
                    foreach (var name in triangle.Symbols)
                    {
                        json.WriteStringValue(name);
                    }

                    json.WriteEndArray();
                    json.WriteNumber("edgeBps", triangle.EdgeBps);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            line.WriteByte((byte)'\n');
            _sidecar.Write(line.GetBuffer(), 0, (int)line.Length);
        }

        private static int Bytes(Span<byte> destination, ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(destination);
            return bytes.Length;
        }

        private static int Integer(Span<byte> destination, long value) =>
            value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture) ? written : throw new InvalidOperationException("Line buffer too small.");

        /// <summary>10⁻⁸ units as Binance writes them: the integer part, a point and exactly 8 decimals (<c>0.06250000</c>).</summary>
        private static int Decimal(Span<byte> destination, long units)
        {
            var p = Integer(destination, units / FixedPoint.Scale);
            destination[p++] = (byte)'.';
            return (units % FixedPoint.Scale).TryFormat(destination[p..], out var written, "D8", CultureInfo.InvariantCulture)
                ? p + written
                : throw new InvalidOperationException("Line buffer too small.");
        }
    }

    /// <summary>10⁻⁸ units with exactly 8 decimals (<c>0.06250000</c>), as the recording writes prices and quantities.</summary>
    /// <param name="units">A non-negative value in 10⁻⁸ units.</param>
    /// <returns>The decimal text.</returns>
    public static string DecimalString(long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        return string.Create(CultureInfo.InvariantCulture, $"{units / FixedPoint.Scale}.{units % FixedPoint.Scale:D8}");
    }
}
