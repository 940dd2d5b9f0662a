using System.Globalization;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// One scripted order fault: <see cref="Kind"/> applied to the <see cref="Ordinal"/>-th <c>order.place</c> the simulator
/// receives (1-based, over every connection, counted on arrival), or to every <c>order.place</c> whose
/// <c>newClientOrderId</c> is <see cref="ClientOrderId"/>.
/// </summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="Ordinal">1-based <c>order.place</c> number, or 0 when keyed by <see cref="ClientOrderId"/>.</param>
/// <param name="ClientOrderId">The client order id that triggers the fault, or null when keyed by <see cref="Ordinal"/>.</param>
/// <param name="Argument">Delay (<see cref="OrderFaultKind.DelayResponse"/>) or retry-after / ban length
/// (<see cref="OrderFaultKind.TooManyRequests"/>, <see cref="OrderFaultKind.Ban"/>), ms; 0 when unused.</param>
/// <param name="Placed">For <see cref="OrderFaultKind.DisconnectMidOrder"/>: whether the order reaches the matching engine before the connection drops.</param>
/// <remarks>Immutable; thread-safe. A fault fires after the request's authentication (a bad signature is still <c>-1022</c>).</remarks>
public sealed record OrderFault(OrderFaultKind Kind, long Ordinal, string? ClientOrderId = null, long Argument = 0, bool Placed = true)
{
    /// <summary>
    /// Parses an order fault script: comma-separated <c>kind@N[=arg]</c> or <c>kind@cid:ID[=arg]</c>, e.g.
    /// <c>drop@1,delay@2=300,unknown@3,unknown-not-placed@4,disconnect@5,disconnect-not-placed@6,429@7=1000,418@8=60000,drop@cid:abc</c>.
    /// </summary>
    /// <param name="script">The script; null or empty for none.</param>
    /// <returns>The faults in script order.</returns>
    /// <exception cref="FormatException">An item is not in the form above.</exception>
    /// <remarks>Kinds: drop, delay (arg ms, default 500), unknown, unknown-not-placed, disconnect, disconnect-not-placed,
    /// 429 (arg retry-after ms, default 1000), 418 (arg ban ms, default 60000). Allocates.</remarks>
    public static IReadOnlyList<OrderFault> ParseScript(string? script)
    {
        var faults = new List<OrderFault>();
        if (string.IsNullOrWhiteSpace(script))
        {
            return faults;
        }

        foreach (var raw in script.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = raw.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new FormatException($"order fault '{raw}': expected kind@N[=arg] or kind@cid:ID[=arg]");
            }

            var name = raw[..at].ToLowerInvariant();
            var (kind, placed, argument) = name switch
            {
                "drop" => (OrderFaultKind.DropResponse, true, 0L),
                "delay" => (OrderFaultKind.DelayResponse, true, 500L),
                "unknown" => (OrderFaultKind.UnknownThenStatus, true, 0L),
                "unknown-not-placed" => (OrderFaultKind.UnknownNotPlaced, false, 0L),
                "disconnect" => (OrderFaultKind.DisconnectMidOrder, true, 0L),
                "disconnect-not-placed" => (OrderFaultKind.DisconnectMidOrder, false, 0L),
                "429" => (OrderFaultKind.TooManyRequests, false, 1000L),
                "418" => (OrderFaultKind.Ban, false, 60_000L),
                _ => throw new FormatException($"order fault '{raw}': unknown kind '{raw[..at]}' (drop, delay, unknown, unknown-not-placed, disconnect, disconnect-not-placed, 429, 418)"),
            };
            var rest = raw[(at + 1)..];
            var equals = rest.LastIndexOf('=');
            if (equals >= 0)
            {
                var text = rest[(equals + 1)..].Trim().ToLowerInvariant();
                text = text.EndsWith("ms", StringComparison.Ordinal) ? text[..^2] : text;
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out argument))
                {
                    throw new FormatException($"order fault '{raw}': argument must be a whole number of ms");
                }

                rest = rest[..equals];
            }

            if (rest.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) && rest.Length > 4)
            {
                faults.Add(new OrderFault(kind, 0, rest[4..], argument, placed));
                continue;
            }

            if (!long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) || ordinal < 1)
            {
                throw new FormatException($"order fault '{raw}': N must be a whole number from 1, or cid:ID");
            }

            faults.Add(new OrderFault(kind, ordinal, null, argument, placed));
        }

        return faults;
    }

    /// <summary>Whether this fault applies to an <c>order.place</c>.</summary>
    /// <param name="ordinal">The request's 1-based <c>order.place</c> number.</param>
    /// <param name="clientOrderId">Its <c>newClientOrderId</c>, or null.</param>
    /// <returns>Whether it matches.</returns>
    internal bool Matches(long ordinal, string? clientOrderId) =>
        ClientOrderId is null ? Ordinal == ordinal : string.Equals(ClientOrderId, clientOrderId, StringComparison.Ordinal);
}
