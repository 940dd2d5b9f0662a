using System.Text;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Tests.Support;

/// <summary>
/// Symbol tables configured the way a session configures them (intern, then freeze), for tests of the receive-side
/// types, which only look symbols up.
/// </summary>
internal static class FrozenSymbols
{
    /// <summary>
    /// Every symbol the inline test frames name, in this order: <c>BTCUSDT</c> is id 0, the hint the tests give bare
    /// snapshots.
    /// </summary>
    public static readonly string[] InlineNames = ["BTCUSDT", "ETHUSDT", "CTKUSDT", "BTCUSD_PERP", "NKNUSDT", "BTCUSD_211231"];

    /// <summary>A frozen table holding <paramref name="names"/>, ids in that order.</summary>
    public static SymbolTable Of(params string[] names)
    {
        var table = new SymbolTable();
        foreach (var name in names)
        {
            table.GetOrAdd(name);
        }

        return table.Freeze();
    }

    /// <summary>A frozen table holding <see cref="InlineNames"/>.</summary>
    public static SymbolTable Inline() => Of(InlineNames);

    /// <summary>A frozen table holding every symbol of a recorded session (the data's first pass).</summary>
    public static SymbolTable ForRecording(RecordingFormat format, IReadOnlyList<string> files)
    {
        var table = new SymbolTable();
        RecordingSymbolScan.Intern(format, files, table);
        return table.Freeze();
    }

    /// <summary>The id of <paramref name="name"/>, which the table must hold.</summary>
    public static int IdOf(SymbolTable table, string name) =>
        table.TryGet(Encoding.ASCII.GetBytes(name), out var id) ? id : throw new ArgumentException($"{name} is not in the table", nameof(name));
}
