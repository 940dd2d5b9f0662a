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
}
