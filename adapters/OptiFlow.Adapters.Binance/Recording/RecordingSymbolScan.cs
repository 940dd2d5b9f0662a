using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// The data's first pass: reads a recorded session once, before it is replayed, and interns every symbol its decode
/// would meet, in the order in which decoding the session while interning used to meet them, so that symbol ids (which
/// journal records and the signal and book digests carry) stay what they were.
/// </summary>
/// <remarks>
/// <para><b>Which symbols, in which order.</b> Exactly those a decode of the session interned when the decoder and the
/// readers interned as they went: the symbols of the snapshot URLs of a cryptofeed capture (<c>symbol=</c>, in load
/// order), the stream-name prefix of every hftbacktest combined-stream frame (<c>btcusdt</c> of
/// <c>"stream":"btcusdt@depth@0ms"</c>, taken when the reader reads the frame, so before any snapshot line it held back),
/// and the <c>s</c> (or snapshot <c>symbol</c>) value of every frame the decoder resolves a symbol for: a well-formed frame
/// of a kind it decodes, not one it ignores (kline, …) or rejects before that point. Lines without the recorder's
/// timestamp are never decoded, so they name nothing.</para>
/// <para><b>How, cheaply and exactly.</b> The session is read with the session's own readers (in a mode that interns
/// the hint symbols where they used to), and each frame is first checked with a byte search: a frame without a
/// backslash whose every <c>"s"</c>/<c>"symbol"</c> key has a string value already in the table cannot make the decoder
/// meet a new symbol (without escapes every key and value is its literal bytes), so it is skipped. Any other frame is
/// decoded, looking up only; when the decoder reports <see cref="DecodeErrorCode.UnknownSymbol"/> at an offset, that is
/// exactly where the interning decoder added a symbol, and the name at that offset is interned before the next frame.
/// Only the first frames of each symbol (and frames with escapes) are decoded. The market does not matter: the decoder
/// resolves the symbol before any market-specific rule (<c>pu</c>).</para>
/// <para><b>Threading and allocation.</b> Runs on the configuring thread, before <see cref="SymbolTable.Freeze"/>; reads
/// the files with the readers' pooled line buffers, allocates per file and per new symbol only. Cold path.</para>
/// </remarks>
/// <example>
/// <code>
/// var files = RecordingReaders.SessionFiles(format, userFiles);
/// var symbols = RecordingSymbolScan.CreateTable(format, files); // or Intern(format, files, aTableOfYourOwn)
/// symbols.Freeze();
/// using var reader = RecordingReaders.Open(format, files, symbols);
/// var decoder = new BinanceFrameDecoder(market, symbols);
/// </code>
/// </example>
public static class RecordingSymbolScan
{
    /// <summary>Reads the session once and interns, in order, every symbol its decode meets (see the type remarks).</summary>
    /// <param name="format">The session's format, or <see cref="RecordingFormat.Auto"/> (resolved as <see cref="RecordingReaders.Open"/> does).</param>
    /// <param name="files">The session's files in reading order, as they will be given to <see cref="RecordingReaders.Open"/> (for cryptofeed, with <see cref="RecordingReaders.SessionFiles"/> applied).</param>
    /// <param name="symbols">The session's table, not frozen yet; symbols it already holds keep their ids.</param>
    /// <returns>How many symbols were added.</returns>
    /// <exception cref="InvalidOperationException">The table is frozen, or the session names more symbols than it has room for.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="IOException">Reading a file failed. Damaged or cut gzip data met while reading frames is not
    /// thrown: the scan skips the rest of that file and goes on with the next, as the session's reader does (which
    /// reports it); in a cryptofeed snapshot file, which is loaded whole when the reader opens, it is thrown as
    /// <see cref="DamagedRecordingException"/>.</exception>
    /// <exception cref="InvalidDataException">A cryptofeed snapshot line is malformed.</exception>
    /// <remarks>Cold; see the type remarks for what it reads and allocates.</remarks>
    public static int Intern(RecordingFormat format, IReadOnlyList<string> files, SymbolTable symbols)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.IsFrozen)
        {
            throw new InvalidOperationException("The symbol table is frozen: scan the recording while the session is being configured, before Freeze().");
        }

        var before = symbols.Count;
        var decoder = BinanceFrameDecoder.ForSymbolScan(Market.Spot, symbols);
        var levels = new DepthLevelBuffer();
        var slot = default(MarketEvent);
        using var reader = RecordingReaders.OpenForSymbolScan(format, files, symbols);
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
                // The session's reader meets the same damage at the same line and reports it; like the session, the scan
                // goes on with the next file, so every symbol the session can read is interned, in the same order.
                continue;
            }

            if (frame.LineFormatError || !MayMeetNewSymbol(frame.Frame, symbols))
            {
                continue;
            }

            if (decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint) == FrameOutcome.Error
                && decoder.LastError == DecodeErrorCode.UnknownSymbol)
            {
                InternStringAt(frame.Frame, decoder.LastErrorOffset, symbols);
            }
        }

        return symbols.Count - before;
    }

    /// <exception cref="InvalidOperationException">The table is full.</exception>
    /// <summary>
    /// Creates a symbol table sized for the session and interns, in order, every symbol its decode meets (as
    /// <see cref="Intern(RecordingFormat, IReadOnlyList{string}, SymbolTable)"/> does): the table starts with room for
    /// <paramref name="minimumCapacity"/> symbols and, when the session names more, is recreated with twice the room,
    /// holding the symbols found so far with the same ids, and the scan runs again, until every symbol fits.
    /// </summary>
    /// <param name="format">The session's format, or <see cref="RecordingFormat.Auto"/>.</param>
    /// <param name="files">The session's files in reading order (for cryptofeed, with <see cref="RecordingReaders.SessionFiles"/> applied).</param>
    /// <param name="minimumCapacity">The least capacity of the table (default <see cref="SymbolTable.DefaultCapacity"/>); at least 1.</param>
    /// <returns>A table, not frozen, holding every symbol of the session with ids in order of first appearance; its
    /// capacity is <paramref name="minimumCapacity"/> × 2^k, the least that holds them.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The minimum capacity is below 1.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="IOException">Reading a file failed (damaged gzip data is handled as <see cref="Intern(RecordingFormat, IReadOnlyList{string}, SymbolTable)"/> says).</exception>
    /// <exception cref="InvalidDataException">A cryptofeed snapshot line is malformed.</exception>
    /// <remarks>Cold. A session with more symbols than the minimum capacity is read once more per doubling; the rescan
    /// decodes no frame of a symbol already found, so it costs a read of the files.</remarks>
    public static SymbolTable CreateTable(RecordingFormat format, IReadOnlyList<string> files, int minimumCapacity = SymbolTable.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCapacity, 1);
        var table = new SymbolTable(minimumCapacity);
        while (true)
        {
            try
            {
                Intern(format, files, table);
                return table;
            }
            catch (InvalidOperationException) when (table.Count == table.Capacity)
            {
                // Full: the same symbols, in the same order (so with the same ids), in a table with twice the room; the
                // scan then meets them again as known and goes on past where it stopped.
                var larger = new SymbolTable(checked(table.Capacity * 2));
                for (var id = 0; id < table.Count; id++)
                {
                    larger.GetOrAdd(table.NameOf(id));
                }

                table = larger;
            }
        }
    }

    /// <summary>
    /// Interns <paramref name="name"/> unless the table holds it (lookup first: no lock on the common path); used by the
    /// readers' scan mode too, so a full table is reported the same way wherever a symbol comes from.
    /// </summary>
    /// <returns>The id, or -1 for a name no table holds (empty or longer than <see cref="SymbolTable.MaxSymbolLength"/>), which is skipped as before.</returns>
    internal static int Intern(SymbolTable symbols, ReadOnlySpan<byte> name)
    {
        if (symbols.TryGet(name, out var id))
        {
            return id;
        }

        if (name.IsEmpty || name.Length > SymbolTable.MaxSymbolLength)
        {
            return -1;
        }

        if (!symbols.TryGetOrAdd(name, out id))
        {
            throw new InvalidOperationException(
                $"The recording names more symbols than the symbol table holds ({symbols.Capacity}): create the table with a larger capacity.");
        }

        return id;
    }

    /// <summary>
    /// Whether decoding <paramref name="frame"/> could meet a symbol the table lacks. Conservative: true whenever unsure
    /// (a backslash anywhere, a key value not in the table, an unterminated string).
    /// </summary>
    private static bool MayMeetNewSymbol(ReadOnlySpan<byte> frame, SymbolTable symbols)
    {
        if (frame.IndexOf((byte)'\\') >= 0)
        {
            return true; // an escaped key or value: only the decoder knows what it spells
        }

        var rest = frame;
        while (true)
        {
            var at = rest.IndexOf("\"s"u8);
            if (at < 0)
            {
                return false;
            }

            var p = at + 2;
            if (p < rest.Length && rest[p] == (byte)'"')
            {
                p++; // "s"
            }
            else if (rest[p..].StartsWith("ymbol\""u8))
            {
                p += 6; // "symbol"
            }
            else
            {
                rest = rest[(at + 1)..];
                continue;
            }

            p = SkipWhitespace(rest, p);
            if (p < rest.Length && rest[p] == (byte)':')
            {
                p = SkipWhitespace(rest, p + 1);
                if (p < rest.Length && rest[p] == (byte)'"')
                {
                    var length = rest[(p + 1)..].IndexOf((byte)'"');
                    if (length < 0 || !symbols.TryGet(rest.Slice(p + 1, length), out _))
                    {
                        return true;
                    }

                    rest = rest[(p + 2 + length)..];
                    continue;
                }
            }

            // Not a key with a string value here (a value that is no string is WrongType: nothing interned).
            rest = rest[(at + 1)..];
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int p)
    {
        while (p < json.Length && json[p] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            p++;
        }

        return p;
    }

    /// <summary>Interns the JSON string whose opening quote is at <paramref name="offset"/> of a frame the decoder has fully validated.</summary>
    private static void InternStringAt(ReadOnlySpan<byte> frame, int offset, SymbolTable symbols)
    {
        var p = offset + 1;
        var escaped = false;
        while (p < frame.Length && frame[p] != (byte)'"')
        {
            if (frame[p] == (byte)'\\')
            {
                escaped = true;
                p += Math.Max(1, JsonEscapes.SequenceLength(frame, p));
                continue;
            }

            p++;
        }

        var raw = frame[(offset + 1)..Math.Min(p, frame.Length)];
        if (!escaped)
        {
            Intern(symbols, raw);
            return;
        }

        // The decoder unescapes into 64 bytes and looks the result up; a name that does not fit is in no table.
        Span<byte> scratch = stackalloc byte[64];
        var length = JsonEscapes.Unescape(raw, scratch);
        if (length > 0)
        {
            Intern(symbols, scratch[..length]);
        }
    }
}
