using System.Globalization;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// One scripted fault: <see cref="Kind"/> applied at the <see cref="Ordinal"/>-th frame (1-based) that matches
/// <see cref="Filter"/> (any stream frame when <see cref="MarketEventKind.None"/>), or, for
/// <see cref="SimulatorFaultKind.TooManyRequests"/> / <see cref="SimulatorFaultKind.Banned"/>, at the N-th depth
/// snapshot request.
/// </summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="Filter">Which frames are counted: <see cref="MarketEventKind.DepthLevel"/>, <see cref="MarketEventKind.BookTicker"/>,
/// <see cref="MarketEventKind.Trade"/>, <see cref="MarketEventKind.AggTrade"/>, or <see cref="MarketEventKind.None"/> for every frame.</param>
/// <param name="Ordinal">1-based position among the counted frames (or snapshot requests).</param>
/// <param name="Argument">Delay in ms, or <c>Retry-After</c> in seconds; 0 when unused.</param>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record SimulatorFault(SimulatorFaultKind Kind, MarketEventKind Filter, long Ordinal, long Argument)
{
    /// <summary>
    /// Parses a fault script: comma-separated <c>kind@[stream:]N[=arg]</c>, e.g.
    /// <c>drop@depth:50,duplicate@depth:60,reorder@depth:70,delay@depth:80=300,disconnect@1000,malformed@90,shutdown@200,stall@300,429@1=2,418@2=3</c>.
    /// </summary>
    /// <param name="script">The script; null or empty for none.</param>
    /// <returns>The faults in script order.</returns>
    /// <exception cref="FormatException">An item is not <c>kind@[stream:]N[=arg]</c> with a known kind and stream.</exception>
    /// <remarks>Kinds: drop, duplicate, reorder, delay (arg ms, default 500), disconnect, malformed, shutdown, stall, pause,
    /// 429 and 418 (arg: <c>Retry-After</c> seconds, default 1). Streams: depth, bookTicker, trade, aggTrade. Allocates.</remarks>
    public static IReadOnlyList<SimulatorFault> ParseScript(string? script)
    {
        var faults = new List<SimulatorFault>();
        if (string.IsNullOrWhiteSpace(script))
        {
            return faults;
        }

        foreach (var raw in script.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = raw.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new FormatException($"fault '{raw}': expected kind@[stream:]N[=arg]");
            }

            var kind = raw[..at].ToLowerInvariant() switch
            {
                "drop" => SimulatorFaultKind.Drop,
                "duplicate" or "dup" => SimulatorFaultKind.Duplicate,
                "reorder" => SimulatorFaultKind.Reorder,
                "delay" => SimulatorFaultKind.Delay,
                "disconnect" => SimulatorFaultKind.Disconnect,
                "malformed" => SimulatorFaultKind.Malformed,
                "shutdown" or "servershutdown" => SimulatorFaultKind.ServerShutdown,
                "stall" => SimulatorFaultKind.Stall,
                "429" => SimulatorFaultKind.TooManyRequests,
                "418" => SimulatorFaultKind.Banned,
                "pause" => SimulatorFaultKind.Pause,
                _ => throw new FormatException($"fault '{raw}': unknown kind '{raw[..at]}' (drop, duplicate, reorder, delay, disconnect, malformed, shutdown, stall, pause, 429, 418)"),
            };
            var rest = raw[(at + 1)..];
            long argument = kind switch
            {
                SimulatorFaultKind.Delay => 500,
                SimulatorFaultKind.TooManyRequests or SimulatorFaultKind.Banned => 1,
                _ => 0,
            };
            var equals = rest.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                var text = rest[(equals + 1)..].Trim().ToLowerInvariant();
                text = text.EndsWith("ms", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('s') ? text[..^1] : text;
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out argument))
                {
                    throw new FormatException($"fault '{raw}': argument must be a whole number");
                }

                rest = rest[..equals];
            }

            var filter = MarketEventKind.None;
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                filter = rest[..colon].ToLowerInvariant() switch
                {
                    "depth" => MarketEventKind.DepthLevel,
                    "bookticker" => MarketEventKind.BookTicker,
                    "trade" => MarketEventKind.Trade,
                    "aggtrade" => MarketEventKind.AggTrade,
                    _ => throw new FormatException($"fault '{raw}': unknown stream '{rest[..colon]}' (depth, bookTicker, trade, aggTrade)"),
                };
                rest = rest[(colon + 1)..];
            }

            if (!long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) || ordinal < 1)
            {
                throw new FormatException($"fault '{raw}': N must be a whole number from 1");
            }

            faults.Add(new SimulatorFault(kind, filter, ordinal, argument));
        }

        return faults;
    }
}
