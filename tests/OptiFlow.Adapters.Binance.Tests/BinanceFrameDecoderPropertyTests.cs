using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>
/// FsCheck properties of <see cref="BinanceFrameDecoder"/>: a frame rewritten with its fields in random order, unknown
/// fields (nested objects and arrays, escaped strings) inserted, strings and keys \u-escaped and whitespace between every
/// token decodes to the same event as the canonical frame; and a real frame with one byte replaced or one bit flipped
/// never throws and never yields an event unless the <c>Utf8JsonReader</c> reference yields the same event.
/// </summary>
[TestFixture]
public sealed class BinanceFrameDecoderPropertyTests
{
    // Canonical real frames, one per payload shape (binance.md §2.4–2.7, §3.3; PROVENANCE §1, §3).
    internal static readonly (string Frame, Market Market)[] Canonical =
    [
        ("""{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":5123107839020,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510","T":1723161256313,"E":1723161256313}}""", Market.Futures),
        ("""{"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}""", Market.Spot),
        ("""{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161276318,"s":"BTCUSDT","U":50093247956,"u":50093247956,"b":[["61828.09000000","3.61811000"]],"a":[]}}""", Market.Spot),
        ("""{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161600370,"T":1723161600319,"s":"BTCUSDT","U":5123134944963,"u":5123134944963,"pu":5123134735497,"b":[["5000.00","2.321"],["61799.90","0.004"]],"a":[["61800.30","0"]]}}""", Market.Futures),
        ("""{"stream":"btcusd_perp@depth@0ms","data":{"e":"depthUpdate","E":1723161600370,"T":1723161600319,"s":"BTCUSD_PERP","ps":"BTCUSD","U":1007198635034,"u":1007198635040,"pu":1007198635033,"b":[["61804.7","35"]],"a":[["61805.0","12"],["61805.1","0"]]}}""", Market.Futures),
        ("""{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161256322,"T":1723161256322,"s":"BTCUSDT","t":5266583935,"p":"61800.30","q":"0.006","X":"MARKET","m":false}}""", Market.Futures),
        ("""{"stream":"btcusdt@trade","data":{"e":"trade","E":1680652800012,"s":"BTCUSDT","t":3062174211,"p":"28166.99000000","q":"0.00400000","b":20088567367,"a":20088567364,"T":1680652800012,"m":false,"M":true}}""", Market.Spot),
        ("""{"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1633998523963,"s":"NKNUSDT","a":15683430,"p":"0.35280000","q":"58.00000000","f":19862790,"l":19862790,"T":1633998523963,"m":false,"M":true}}""", Market.Spot),
        ("""{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1680652800000,"s":"BTCUSDT","p":"28166.23814710","P":"28160.1","i":"28170.0","r":"-0.00002107","T":1680681600000}}""", Market.Futures),
        ("""{"lastUpdateId":1007198635033,"E":1723161257835,"T":1723161257823,"symbol":"BTCUSD_PERP","pair":"BTCUSD","bids":[["61804.7","35"]],"asks":[["61805.0","12"]]}""", Market.Futures),
    ];

    private static readonly string[] ExtraFields =
    [
        "\"zz\":{\"a\":[1,2,{\"b\":\"c\\\"}\"}],\"d\":{}}",
        "\"xtra\":[[[\"1\"]],[],{\"k\":[null]}]",
        "\"note\":\"he said \\\"hi\\\" \\\\ \\u00e9 \\ud83d\\ude00 ]}\"",
        "\"n\":-1.5e+10",
        "\"flag\":null",
        "\"ok\":true",
        "\"nq\":\"1.5\"",
        "\"st\":2",
    ];

    internal static readonly Lazy<(byte[] Frame, Market Market)[]> MutationCorpus = new(LoadMutationCorpus);

    /// <summary>
    /// Every symbol of <see cref="Canonical"/> and of the recordings the mutation corpus comes from, interned by the data's
    /// first pass and frozen: one table all properties share (a frozen table is read-only, so that is safe in parallel).
    /// </summary>
    internal static readonly Lazy<SymbolTable> MutationCorpusSymbols = new(LoadMutationCorpusSymbols);

    private static readonly (string Path, Market Market, RecordingFormat Format)[] CorpusRecordings =
    [
        ("hftbacktest/examples/usdm/btcusdt_20230404.dat.gz", Market.Futures, RecordingFormat.Hftbacktest),
        ("hftbacktest/examples/spot/btcusdt_20230405.dat.gz", Market.Spot, RecordingFormat.Hftbacktest),
        ("hftbacktest/examples/cm/btcusd_perp_20240809.gz", Market.Futures, RecordingFormat.Hftbacktest),
        ("cryptofeed/sample_data/BINANCE.ws.1.0", Market.Spot, RecordingFormat.Cryptofeed),
        ("cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0", Market.Futures, RecordingFormat.Cryptofeed),
        ("cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0", Market.Futures, RecordingFormat.Cryptofeed),
    ];

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property ShouldDecodeSameEvent_WhenFieldsAreShuffledExtendedEscapedAndSpaced() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), Gen.Choose(0, Canonical.Length - 1).ToArbitrary(), (seed, index) =>
        {
            // Arrange
            var (frame, market) = Canonical[index];
            var variant = Rewrite(frame, new Random(seed));
            var symbols = MutationCorpusSymbols.Value;
            var expected = DecodeOurs(Encoding.UTF8.GetBytes(frame), market, symbols);

            // Act
            var actual = DecodeOurs(variant, market, symbols);

            // Assert
            var same = expected.Outcome is FrameOutcome.Event or FrameOutcome.Levels
                && actual.Outcome == expected.Outcome
                && SlotBytes(actual.Slot).SequenceEqual(SlotBytes(expected.Slot))
                && actual.Levels.SequenceEqual(expected.Levels);
            return same.Label($"{Encoding.UTF8.GetString(variant)}\n → {actual.Outcome} {actual.Error}, expected {expected.Outcome}");
        });

    [FsCheck.NUnit.Property(MaxTest = 20000)]
    public Property ShouldNeverYieldADifferentEvent_WhenOneByteOfARealFrameIsReplacedOrFlipped() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), Gen.Choose(0, 255 + 8).ToArbitrary(), (frameSeed, positionSeed, change) =>
        {
            // Arrange: change < 256 replaces the byte with that value; 256..263 flips bit (change - 256).
            var corpus = MutationCorpus.Value;
            var (original, market) = corpus[frameSeed % corpus.Length];
            var mutated = (byte[])original.Clone();
            var position = positionSeed % mutated.Length;
            mutated[position] = change < 256 ? (byte)change : (byte)(mutated[position] ^ (1 << (change - 256)));

            // Act
            var ours = DecodeOurs(mutated, market, MutationCorpusSymbols.Value);
            var referenceSymbols = new SymbolTable();
            var reference = new ReferenceDecoder(market, referenceSymbols).Decode(mutated, symbolHint: -1);

            // Assert
            if (ours.Outcome is not (FrameOutcome.Event or FrameOutcome.Levels))
            {
                return true.ToProperty(); // an error or an ignored frame publishes no market event
            }

            var expectedName = reference.Slot.SymbolId >= 0 ? referenceSymbols.NameOf(reference.Slot.SymbolId) : "-";
            var e = reference.Slot;
            var a = ours.Slot;
            e.SymbolId = 0;
            a.SymbolId = 0;
            var same = reference.Outcome == ours.Outcome
                && ours.SymbolName == expectedName
                && SlotBytes(a).SequenceEqual(SlotBytes(e))
                && ours.Levels.SequenceEqual(reference.Levels);
            return same.Label($"byte {position} -> 0x{mutated[position]:x2}: {Encoding.UTF8.GetString(mutated)}\n ours {ours.Outcome}, reference {reference.Outcome} {reference.Error}");
        });

    [Test]
    public void ShouldReportErrorAndNeverThrow_WhenEveryRealSampleIsTruncatedAtEveryPosition()
    {
        // Arrange
        var failures = new List<string>();

        // Act
        foreach (var (frame, market) in MutationCorpus.Value.Take(64))
        {
            var decoder = new BinanceFrameDecoder(market, MutationCorpusSymbols.Value);
            var levels = new DepthLevelBuffer(16);
            var slot = default(MarketEvent);
            for (var length = 0; length < frame.Length; length++)
            {
                var outcome = decoder.Decode(frame.AsSpan(0, length), ref slot, levels, symbolHint: -1);
                if (outcome != FrameOutcome.Error || decoder.LastError != DecodeErrorCode.Truncated || slot.Kind != MarketEventKind.DecodeError)
                {
                    failures.Add($"{Encoding.UTF8.GetString(frame)} cut at {length}: {outcome} {decoder.LastError}");
                }
            }
        }

        // Assert
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
    }

    private static (FrameOutcome Outcome, MarketEvent Slot, List<Level> Levels, string SymbolName, DecodeErrorCode Error) DecodeOurs(byte[] frame, Market market, SymbolTable symbols)
    {
        var decoder = new BinanceFrameDecoder(market, symbols);
        var levels = new DepthLevelBuffer(16);
        var slot = default(MarketEvent);
        var outcome = decoder.Decode(frame, ref slot, levels, symbolHint: -1);
        var list = new List<Level>();
        for (var i = 0; i < levels.Count; i++)
        {
            list.Add(new Level(levels.Prices[i], levels.Quantities[i], levels.Sides[i]));
        }

        var name = slot.SymbolId >= 0 && outcome is FrameOutcome.Event or FrameOutcome.Levels ? symbols.NameOf(slot.SymbolId) : "-";
        return (outcome, slot, list, name, decoder.LastError);
    }

    private static byte[] SlotBytes(MarketEvent slot) => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref slot, 1)).ToArray();

    /// <summary>Re-emits a frame: objects shuffled with extra fields, keys and strings randomly \u-escaped, random whitespace everywhere.</summary>
    internal static byte[] Rewrite(string frame, Random random)
    {
        using var document = JsonDocument.Parse(frame);
        var output = new StringBuilder();
        EmitObject(document.RootElement, random, output, addExtras: true, new HashSet<string>(StringComparer.Ordinal));
        return Encoding.UTF8.GetBytes(Space(random) + output + Space(random));
    }

    private static void EmitObject(JsonElement element, Random random, StringBuilder output, bool addExtras, HashSet<string> usedKnownExtras)
    {
        var members = element.EnumerateObject().Select(p => (Key: p.Name, Value: (JsonElement?)p.Value, Raw: (string?)null)).ToList();
        if (addExtras)
        {
            for (var n = random.Next(4); n > 0; n--)
            {
                // A known key (nq, st) twice in one frame is DuplicateField, so each is added at most once per frame;
                // the wrapper and its payload count as one (the decoder merges them).
                var extra = ExtraFields[random.Next(ExtraFields.Length)];
                if (!(extra.StartsWith("\"nq\"", StringComparison.Ordinal) || extra.StartsWith("\"st\"", StringComparison.Ordinal)) || usedKnownExtras.Add(extra))
                {
                    members.Add((string.Empty, null, extra));
                }
            }
        }

        members = [.. members.OrderBy(_ => random.Next())];
        output.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                output.Append(Space(random)).Append(',');
            }

            output.Append(Space(random));
            var (key, value, raw) = members[i];
            if (raw is not null)
            {
                output.Append(raw);
                continue;
            }

            EmitString(key, random, output);
            output.Append(Space(random)).Append(':').Append(Space(random));
            EmitValue(value!.Value, random, output, nestedExtras: key == "data", usedKnownExtras);
        }

        output.Append(Space(random)).Append('}');
    }

    private static void EmitValue(JsonElement value, Random random, StringBuilder output, bool nestedExtras, HashSet<string> usedKnownExtras)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                EmitObject(value, random, output, nestedExtras, usedKnownExtras);
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        output.Append(Space(random)).Append(',');
                    }

                    first = false;
                    output.Append(Space(random));
                    EmitValue(item, random, output, nestedExtras: false, usedKnownExtras);
                }

                output.Append(Space(random)).Append(']');
                break;
            case JsonValueKind.String:
                EmitString(value.GetString()!, random, output);
                break;
            default:
                output.Append(value.GetRawText());
                break;
        }
    }

    private static void EmitString(string text, Random random, StringBuilder output)
    {
        output.Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\' || c < ' ' || random.Next(4) == 0)
            {
                output.Append("\\u").Append(((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                output.Append(c);
            }
        }

        output.Append('"');
    }

    private static string Space(Random random) => random.Next(3) switch
    {
        0 => string.Empty,
        1 => " ",
        _ => new string([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => " \t\r\n"[random.Next(4)])]),
    };

    /// <summary>The first frames of each kind in each recording format: hftbacktest (spot, USDⓈ-M, 2023 with markPrice) and cryptofeed.</summary>
    private static (byte[] Frame, Market Market)[] LoadMutationCorpus()
    {
        var corpus = new List<(byte[], Market)>();
        foreach (var (frame, market) in Canonical)
        {
            corpus.Add((Encoding.UTF8.GetBytes(frame), market));
        }

        var root = RecordingData.Root;
        if (root is null)
        {
            return [.. corpus];
        }

        void Take(IRecordingReader reader, Market market)
        {
            var perKind = new Dictionary<string, int>(StringComparer.Ordinal);
            while (reader.TryRead(out var frame))
            {
                var text = frame.Frame.Length > 300 ? null : Encoding.UTF8.GetString(frame.Frame);
                if (text is null)
                {
                    continue;
                }

                var at = text.IndexOf('@', StringComparison.Ordinal);
                var kind = at < 0 ? "bare" : text[at..Math.Min(text.Length, at + 8)];
                perKind[kind] = perKind.GetValueOrDefault(kind) + 1;
                if (perKind[kind] <= 4)
                {
                    corpus.Add((frame.Frame.ToArray(), market));
                }
            }
        }

        foreach (var (path, market, format) in CorpusRecordings)
        {
            var full = Path.Combine(root, path);
            if (File.Exists(full))
            {
                using var reader = RecordingReaders.Open(format, [full], MutationCorpusSymbols.Value);
                Take(reader, market);
            }
        }

        return [.. corpus];
    }

    private static SymbolTable LoadMutationCorpusSymbols()
    {
        var symbols = new SymbolTable();
        foreach (var name in new[] { "BTCUSDT", "BTCUSD_PERP", "NKNUSDT" })
        {
            symbols.GetOrAdd(name); // the symbols of Canonical
        }

        var root = RecordingData.Root;
        foreach (var (path, _, format) in CorpusRecordings)
        {
            var full = root is null ? null : Path.Combine(root, path);
            if (full is not null && File.Exists(full))
            {
                RecordingSymbolScan.Intern(format, [full], symbols);
            }
        }

        return symbols.Freeze();
    }
}
