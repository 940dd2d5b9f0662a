using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Trading;

/// <summary>
/// The tick-to-order latency of one session and the stages between, in ns, each an engine
/// <see cref="LatencyHistogram"/> recorded on the gateway thread (read after <see cref="EngineSession.Stop"/>).
/// </summary>
/// <remarks>
/// Stamps (monotonic ns): <c>R</c> the causing frame was received (its inbound slot's receive stamp), <c>G</c> the gateway
/// took the command (after the core decided and the command crossed the outbound ring), <c>K</c> risk decided,
/// <c>E</c> the request was encoded and signed, <c>S</c> its bytes were handed to the socket (paper venue: to the
/// in-process matching engine; there is nothing to encode, so <c>E</c> = <c>K</c>).
/// </remarks>
public sealed class TickToOrderStages
{
    /// <summary><c>R → S</c>: frame received → order written.</summary>
    public LatencyHistogram TickToOrder { get; } = new("frame received -> order sent");

    /// <summary><c>R → G</c>: decode, inbound ring, core decision, outbound ring, gateway pick-up.</summary>
    public LatencyHistogram Decision { get; } = new("frame received -> command at gateway");

    /// <summary><c>G → K</c>: pre-trade risk.</summary>
    public LatencyHistogram Risk { get; } = new("gateway risk");

    /// <summary><c>K → E</c>: encode and sign.</summary>
    public LatencyHistogram EncodeSign { get; } = new("encode + sign");

    /// <summary><c>E → S</c>: hand the bytes to the socket.</summary>
    public LatencyHistogram Send { get; } = new("send");

    /// <summary>Every stage with its report key, in pipeline order.</summary>
    public IEnumerable<(string Key, LatencyHistogram Histogram)> All =>
    [
        ("tick_to_order", TickToOrder),
        ("order_decision", Decision),
        ("order_risk", Risk),
        ("order_encode_sign", EncodeSign),
        ("order_send", Send),
    ];
}
