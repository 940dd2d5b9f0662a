namespace OptiFlow.Engine.Model;

/// <summary>Why a frame could not be decoded. Carried by <see cref="MarketEventKind.DecodeError"/> slots.</summary>
public enum DecodeErrorCode : ushort
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The JSON ends before the value or object is complete.</summary>
    Truncated = 1,

    /// <summary>A byte that is not valid JSON at that position.</summary>
    InvalidJson = 2,

    /// <summary>A field has the wrong JSON type (a number where a string was expected, …).</summary>
    WrongType = 3,

    /// <summary>A field the payload needs is missing (for example <c>pu</c> on a futures depth diff).</summary>
    MissingField = 4,

    /// <summary>A price or quantity is not a decimal number.</summary>
    InvalidNumber = 5,

    /// <summary>A price or quantity has more than 8 decimals.</summary>
    TooManyDecimals = 6,

    /// <summary>A number does not fit a <see cref="long"/> at the 10⁻⁸ scale.</summary>
    NumberOutOfRange = 7,

    /// <summary>The line does not start with a recorder timestamp followed by a space.</summary>
    InvalidLineFormat = 8,

    /// <summary>The symbol table is full; the symbol could not be interned.</summary>
    /// <remarks>
    /// Written by decoders that interned symbols as they met them (journals of earlier versions). The decoder now only
    /// looks symbols up in a table frozen at configuration, so it reports <see cref="UnknownSymbol"/> instead.
    /// </remarks>
    TooManySymbols = 9,

    /// <summary>A bare snapshot line whose symbol could not be determined from the recording.</summary>
    UnknownSnapshotSymbol = 10,

    /// <summary>The event type <c>e</c> is not one the decoder knows (neither decoded nor a known stream it skips).</summary>
    UnknownEventType = 11,

    /// <summary>
    /// A key the decoder knows (decoded, or known and skipped such as <c>M</c>, <c>X</c>, <c>ps</c>, <c>st</c>,
    /// <c>nq</c>) appears twice in one frame; the error offset is that of the second occurrence's opening quote.
    /// </summary>
    /// <remarks>
    /// Binance never repeats a key, and RFC 8259 §4 leaves the meaning of a repeated name undefined: keeping either
    /// value silently could publish a number the exchange did not send.
    /// </remarks>
    DuplicateField = 12,

    /// <summary>
    /// The frame's symbol (<c>s</c>, or <c>symbol</c> on a COIN-M snapshot) is not in the session's symbol table, which
    /// is frozen at configuration (<see cref="SymbolTable"/>); the error offset is that of the symbol string's opening
    /// quote. The frame is counted, never interned: a receive thread only looks symbols up.
    /// </summary>
    /// <remarks>Also reported for a name no table can hold (empty, or longer than <see cref="SymbolTable.MaxSymbolLength"/> bytes).</remarks>
    UnknownSymbol = 13,

    /// <summary>
    /// A price that must be positive is zero or negative: a level of a depth diff or a REST snapshot, a trade's or an
    /// aggTrade's <c>p</c>, or a bookTicker side whose price is not positive while its quantity is (see
    /// <see cref="NegativeQuantity"/> for the bookTicker rule). The offset is that of the price's first byte.
    /// </summary>
    /// <remarks>
    /// Binance quotes no level, trade or best price at or below zero (binance.md §2.4–2.7, §3.3); such a value in a
    /// frame is damage, and loading it would put a level into the book that no order holds (OBI then leaves [−1, 1]).
    /// </remarks>
    NonPositivePrice = 14,

    /// <summary>
    /// A quantity is negative: a level of a depth diff or a REST snapshot, a trade's or an aggTrade's <c>q</c>, or a
    /// bookTicker's <c>B</c>/<c>A</c>. The offset is that of the quantity's first byte.
    /// </summary>
    /// <remarks>Binance's quantities are absolute amounts (binance.md §2.5: "the quantity is absolute"); none is negative.</remarks>
    NegativeQuantity = 15,

    /// <summary>
    /// A quantity is zero where zero does not mean "remove": a REST snapshot level, a trade's or an aggTrade's <c>q</c>,
    /// or a bookTicker side whose price is positive (a side of zero price and zero quantity is an empty side, not an
    /// error). Zero in a depth diff is the removal it always was and stays allowed. The offset is that of the
    /// quantity's first byte.
    /// </summary>
    /// <remarks>
    /// A snapshot lists the levels that exist (binance.md §3.3) and a trade moves a positive amount (§2.6, §2.7); only a
    /// diff carries removals (§2.5, §3.1 step 6, §3.2 step 6).
    /// </remarks>
    ZeroQuantity = 16,

    /// <summary>
    /// A combined-stream frame whose stream name names another symbol than its payload: <c>ethusdt@depth</c> carrying
    /// <c>"s":"BTCUSDT"</c>. The symbol part of the stream name (before the first <c>@</c>) and the payload's
    /// <c>s</c> are compared ASCII case-insensitively (stream names are lowercase, binance.md §2.1); an all-market stream
    /// (<c>!bookTicker</c>) or a name without <c>@</c> names no symbol and is not compared. The frame is applied to
    /// nobody; the offset is that of the payload symbol's opening quote.
    /// </summary>
    StreamSymbolMismatch = 17,

    /// <summary>
    /// A compressed recording is damaged: its gzip data fails to decompress (a flipped byte, a bad checksum). The
    /// reader stops there; the line is the first one that could not be read whole, the offset 0 (the compressed byte
    /// offset is in the reader's exception message).
    /// </summary>
    CorruptInput = 18,

    /// <summary>
    /// A compressed recording ends inside its gzip stream (cut without its trailer). The reader stops there; the line is
    /// the first one that could not be read whole, the offset 0. Complete lines before it were read and decoded.
    /// </summary>
    TruncatedInput = 19,

    /// <summary>
    /// A bare REST snapshot line without a <c>symbol</c> field in a file whose streams name several symbols: which book
    /// it belongs to cannot be told, so it is applied to none (see <c>RecordingReader</c>, "Bare snapshot symbol").
    /// </summary>
    AmbiguousSnapshotSymbol = 20,
}
