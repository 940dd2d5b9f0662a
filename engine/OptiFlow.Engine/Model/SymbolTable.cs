using System.Runtime.CompilerServices;
using System.Text;

namespace OptiFlow.Engine.Model;

/// <summary>
/// Interns symbols (<c>BTCUSDT</c>) as small dense integer ids while a session is configured, then, once
/// <see cref="Freeze">frozen</see>, only looks them up from their UTF-8 bytes in either case (<c>s</c> values are
/// upper-case, stream names lower-case) without allocating.
/// </summary>
/// <remarks>
/// <para><b>Two phases, one owner.</b> While a session is configured, its owner interns every symbol the session will
/// meet (<see cref="GetOrAdd"/>, <see cref="TryGetOrAdd"/>): from <c>--symbols</c>, from the data's first pass
/// (<c>RecordingSymbolScan</c> in the Binance adapter) or from exchangeInfo (<c>ExchangeInfo.Intern</c>). Ids are dense
/// from 0 in order of interning. <see cref="Freeze"/> ends configuration: from then on the table is read-only and
/// <see cref="GetOrAdd"/>/<see cref="TryGetOrAdd"/> throw <see cref="InvalidOperationException"/>.</para>
/// <para><b>Why two receive threads cannot intern at once.</b> Every receive-side type (the frame decoder, the
/// recording readers, the live market-data client) refuses a table that is not frozen at construction
/// (<see cref="ThrowIfNotFrozen"/>) and only calls <see cref="TryGet"/>. So by the time any receive thread exists the
/// table has no writer at all: there is nothing for two of them to race on, and any attempt to intern throws instead of
/// writing. A frame of a symbol that is not in the table is a decode error (<see cref="DecodeErrorCode.UnknownSymbol"/>),
/// counted, never interned.</para>
/// <para><b>Memory ordering.</b> Adds are serialized by a lock, and <see cref="Freeze"/> takes the same lock, so an add
/// in progress on another configuring thread completes before <see cref="Freeze"/> returns and none starts after it.
/// <see cref="Freeze"/> publishes every write with a volatile store of the frozen flag; <see cref="IsFrozen"/> is its
/// volatile load (acquire), so a thread that sees the table frozen sees every symbol in it, and threads started after the
/// freeze see them too (<c>Thread.Start</c> is a full fence). A frozen table's arrays are never written again, so any
/// number of threads may call <see cref="TryGet"/>, <see cref="NameOf"/> and <see cref="Utf8NameOf"/> at once. Before
/// the freeze, lookups are for the configuring threads themselves.</para>
/// <para><b>Allocation.</b> Construction allocates the arrays; an add allocates the name once (bytes and string). Lookups
/// and the name accessors are allocation-free.</para>
/// </remarks>
/// <example>
/// <code>
/// var symbols = new SymbolTable();
/// symbols.GetOrAdd("BTCUSDT");                                    // configuration: the owner interns
/// RecordingSymbolScan.Intern(format, files, symbols);             // … or from the data's first pass
/// symbols.Freeze();                                               // from here on: look up only
/// var decoder = new BinanceFrameDecoder(Market.Futures, symbols); // refuses a table that is not frozen
/// </code>
/// </example>
public sealed class SymbolTable
{
    /// <summary>Longest symbol accepted, in bytes.</summary>
    public const int MaxSymbolLength = 32;

    /// <summary>Capacity of a table created without one: 1024 symbols.</summary>
    public const int DefaultCapacity = 1024;

    private readonly byte[][] _names;
    private readonly string[] _strings;
    private readonly int[] _slots;
    private readonly int _mask;
    private readonly object _configuration = new(); // a Monitor: its contended wait allocates nothing, a System.Threading.Lock's first one ~280 B
    private int _count;
    private volatile bool _frozen;

    /// <summary>Creates a table for at most <paramref name="capacity"/> symbols, open for configuration.</summary>
    /// <param name="capacity">Maximum number of symbols; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="capacity"/> is below 1.</exception>
    public SymbolTable(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _names = new byte[capacity][];
        _strings = new string[capacity];
        var slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2);
        _slots = new int[slots];
        Array.Fill(_slots, -1);
        _mask = slots - 1;
    }

    /// <summary>Number of symbols interned so far.</summary>
    /// <remarks>Volatile read; constant once the table is frozen.</remarks>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Maximum number of symbols.</summary>
    public int Capacity => _names.Length;

    /// <summary>Whether <see cref="Freeze"/> has been called: the table is read-only and only looks up.</summary>
    /// <remarks>Volatile read (acquire): when true, every symbol interned before the freeze is visible to the caller.</remarks>
    public bool IsFrozen => _frozen;

    /// <summary>
    /// Ends configuration: from now on the table is read-only, <see cref="GetOrAdd"/> and <see cref="TryGetOrAdd"/>
    /// throw, and any number of threads may look symbols up at once. Idempotent.
    /// </summary>
    /// <returns>This table, for chaining (<c>new BinanceFrameDecoder(market, symbols.Freeze())</c>).</returns>
    /// <remarks>
    /// Takes the configuration lock, so it waits for an add in progress on another thread; then publishes every write
    /// with a volatile store (release). Cold; allocation-free.
    /// </remarks>
    public SymbolTable Freeze()
    {
        lock (_configuration)
        {
            _frozen = true;
        }

        return this;
    }

    /// <summary>
    /// Throws unless <paramref name="symbols"/> is frozen: the guard every receive-side type runs at construction, so that
    /// no receive thread can ever share a table with a writer.
    /// </summary>
    /// <param name="symbols">The table a receive-side object is given.</param>
    /// <param name="paramName">The caller's parameter name (filled in by the compiler).</param>
    /// <exception cref="ArgumentNullException">When <paramref name="symbols"/> is null.</exception>
    /// <exception cref="ArgumentException">When the table is not frozen.</exception>
    /// <remarks>Cold (construction time); allocation-free unless it throws.</remarks>
    public static void ThrowIfNotFrozen([System.Diagnostics.CodeAnalysis.NotNull] SymbolTable? symbols, [CallerArgumentExpression(nameof(symbols))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(symbols, paramName);
        if (!symbols.IsFrozen)
        {
            throw new ArgumentException(
                "The symbol table must be frozen before a receive-side object uses it: intern the session's symbols at configuration "
                + "(--symbols, RecordingSymbolScan over the data, ExchangeInfo.Intern), call Freeze(), then create decoders, readers and clients; "
                + "they only look symbols up.",
                paramName);
        }
    }

    /// <summary>Upper-case name of symbol <paramref name="symbolId"/>.</summary>
    /// <param name="symbolId">An id returned by this table.</param>
    /// <returns>The canonical upper-case name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When the id was never issued.</exception>
    public string NameOf(int symbolId)
    {
        if ((uint)symbolId >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(symbolId), symbolId, "Unknown symbol id.");
        }

        return _strings[symbolId];
    }

    /// <summary>Upper-case UTF-8 bytes of symbol <paramref name="symbolId"/> (allocation-free).</summary>
    /// <param name="symbolId">An id returned by this table.</param>
    /// <returns>The canonical name's bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When the id was never issued.</exception>
    public ReadOnlySpan<byte> Utf8NameOf(int symbolId)
    {
        if ((uint)symbolId >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(symbolId), symbolId, "Unknown symbol id.");
        }

        return _names[symbolId];
    }

    /// <summary>Looks up a symbol from its bytes, ignoring ASCII case. Allocation-free.</summary>
    /// <param name="utf8">Symbol bytes, e.g. <c>btcusdt</c> or <c>BTCUSDT</c>.</param>
    /// <param name="symbolId">The id, or -1.</param>
    /// <returns>Whether the symbol is known (false for an empty name or one longer than <see cref="MaxSymbolLength"/>).</returns>
    /// <remarks>Thread-safe on a frozen table (plain reads of arrays nobody writes); before the freeze, for the configuring thread.</remarks>
    public bool TryGet(ReadOnlySpan<byte> utf8, out int symbolId)
    {
        symbolId = -1;
        if (utf8.Length == 0 || utf8.Length > MaxSymbolLength)
        {
            return false;
        }

        var slot = Hash(utf8) & _mask;
        while (true)
        {
            var id = _slots[slot];
            if (id < 0)
            {
                return false;
            }

            if (EqualsIgnoreAsciiCase(_names[id], utf8))
            {
                symbolId = id;
                return true;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Configuration only: looks up a symbol, adding it when new. Allocates only when adding.</summary>
    /// <param name="utf8">Symbol bytes in any ASCII case.</param>
    /// <param name="symbolId">The id, or -1 when the table is full or the name is empty or too long.</param>
    /// <returns>Whether an id is available.</returns>
    /// <exception cref="InvalidOperationException">When the table is frozen (even for a symbol it holds).</exception>
    /// <remarks>Serialized by the configuration lock (cold path).</remarks>
    public bool TryGetOrAdd(ReadOnlySpan<byte> utf8, out int symbolId)
    {
        lock (_configuration)
        {
            if (_frozen)
            {
                ThrowFrozen(utf8);
            }

            if (TryGet(utf8, out symbolId))
            {
                return true;
            }

            if (utf8.Length == 0 || utf8.Length > MaxSymbolLength || _count >= _names.Length)
            {
                return false;
            }

            var name = new byte[utf8.Length];
            for (var i = 0; i < utf8.Length; i++)
            {
                name[i] = ToUpperAscii(utf8[i]);
            }

            var id = _count;
            _names[id] = name;
            _strings[id] = Encoding.ASCII.GetString(name);
            var slot = Hash(utf8) & _mask;
            while (_slots[slot] >= 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = id;
            Volatile.Write(ref _count, id + 1);
            symbolId = id;
            return true;
        }
    }

    /// <summary>Configuration only: adds or finds a symbol by name (cold path, allocates).</summary>
    /// <param name="name">Symbol name in any ASCII case.</param>
    /// <returns>The id.</returns>
    /// <exception cref="InvalidOperationException">When the table is frozen, full, or the name is invalid.</exception>
    public int GetOrAdd(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bytes = Encoding.ASCII.GetBytes(name);
        if (!TryGetOrAdd(bytes, out var id))
        {
            throw new InvalidOperationException($"Cannot intern symbol '{name}': the table is full ({Capacity}) or the name is empty or longer than {MaxSymbolLength} bytes.");
        }

        return id;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowFrozen(ReadOnlySpan<byte> utf8) =>
        throw new InvalidOperationException(
            $"Cannot intern symbol '{Encoding.ASCII.GetString(utf8)}': the symbol table is frozen. Symbols are interned once, when the "
            + "session is configured (--symbols, the data's first pass, exchangeInfo); after Freeze() receive threads only look them up, "
            + "and a frame of an unknown symbol is a decode error (UnknownSymbol).");

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        // FNV-1a over the upper-cased bytes.
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ ToUpperAscii(b)) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private static byte ToUpperAscii(byte b) => (uint)(b - 'a') <= 'z' - 'a' ? (byte)(b - 32) : b;

    private static bool EqualsIgnoreAsciiCase(byte[] upper, ReadOnlySpan<byte> other)
    {
        if (upper.Length != other.Length)
        {
            return false;
        }

        for (var i = 0; i < upper.Length; i++)
        {
            if (upper[i] != ToUpperAscii(other[i]))
            {
                return false;
            }
        }

        return true;
    }
}
