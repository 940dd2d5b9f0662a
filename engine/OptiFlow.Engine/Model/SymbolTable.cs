using System.Text;

namespace OptiFlow.Engine.Model;

/// <summary>
/// Interns symbols (<c>BTCUSDT</c>) as small dense integer ids, looked up from their UTF-8 bytes in either case
/// (<c>s</c> values are upper-case, stream names lower-case) without allocating.
/// </summary>
/// <remarks>
/// Ids are dense from 0 in order of interning. Capacity is fixed at construction. Thread-safety: one writer (the
/// thread that interns, normally the producer) and any number of readers of ids it has already published through the
/// ring: an id is written before the event that carries it is published, and the ring's release/acquire orders it.
/// <see cref="TryGetOrAdd"/> allocates only when it adds a symbol (once per symbol); lookups of known symbols are
/// allocation-free.
/// </remarks>
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
    private int _count;

    /// <summary>Creates a table for at most <paramref name="capacity"/> symbols.</summary>
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
    public int Count => Volatile.Read(ref _count);

    /// <summary>Maximum number of symbols.</summary>
    public int Capacity => _names.Length;

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
    /// <returns>Whether the symbol is known.</returns>
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

    /// <summary>Looks up a symbol, adding it when new. Allocates only when adding.</summary>
    /// <param name="utf8">Symbol bytes in any ASCII case.</param>
    /// <param name="symbolId">The id, or -1 when the table is full or the name is empty or too long.</param>
    /// <returns>Whether an id is available.</returns>
    public bool TryGetOrAdd(ReadOnlySpan<byte> utf8, out int symbolId)
    {
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

    /// <summary>Adds or finds a symbol by name (cold path, allocates).</summary>
    /// <param name="name">Symbol name in any ASCII case.</param>
    /// <returns>The id.</returns>
    /// <exception cref="InvalidOperationException">When the table is full or the name is invalid.</exception>
    public int GetOrAdd(string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        if (!TryGetOrAdd(bytes, out var id))
        {
            throw new InvalidOperationException($"Cannot intern symbol '{name}': the table is full ({Capacity}) or the name is empty or longer than {MaxSymbolLength} bytes.");
        }

        return id;
    }

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
