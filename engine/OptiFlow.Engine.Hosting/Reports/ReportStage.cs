using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>One latency stage of a report: its stable snake_case key (<c>latency.&lt;key&gt;</c>, <c>latency/&lt;key&gt;.hgrm</c>) and its histogram.</summary>
/// <param name="Key">The stable key: <see cref="FrameToPublished"/>, <see cref="PublishedToCore"/>, <see cref="FrameToCore"/>, <see cref="CoreHandling"/> or <see cref="FeedLatency"/>.</param>
/// <param name="Histogram">The stage's histogram (values in ns), read after its recording thread stopped.</param>
public sealed record ReportStage(string Key, LatencyHistogram Histogram)
{
    /// <summary>Frame received (or complete) → published into the ring: the producer's decode, claim and publish.</summary>
    public const string FrameToPublished = "frame_to_published";

    /// <summary>Published → picked up by the core: the ring hop (queueing behind a full ring on file input).</summary>
    public const string PublishedToCore = "published_to_core";

    /// <summary>Frame received → picked up by the core.</summary>
    public const string FrameToCore = "frame_to_core";

    /// <summary>The core's handling time per event.</summary>
    public const string CoreHandling = "core_handling";

    /// <summary>Feed latency: the exchange's event time <c>E</c> → the receive wall clock (<see cref="Engine.Core.MarketCore.FeedLatency"/>).</summary>
    public const string FeedLatency = "feed_latency";

    /// <summary>The stages a session measured, in the order the run report prints them.</summary>
    /// <param name="result">A finished session.</param>
    /// <returns>Five stages, then the trading stages when the session traded (tick_to_order, order_decision,
    /// order_risk, order_encode_sign, order_send: <see cref="Trading.TickToOrderStages"/>).</returns>
    public static IReadOnlyList<ReportStage> Of(SessionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        List<ReportStage> stages =
        [
            new(FrameToPublished, result.PublishLatency),
            new(PublishedToCore, result.Core.PickupLatency),
            new(FrameToCore, result.Core.ReceiveToCoreLatency),
            new(CoreHandling, result.Core.HandlingLatency),
            new(FeedLatency, result.Core.FeedLatency),
        ];
        if (result.Trading is { } trading)
        {
            stages.AddRange(trading.Stages.All.Select(s => new ReportStage(s.Key, s.Histogram)));
        }

        return stages;
    }

    /// <summary>The histograms a started session records into, per stage, in the order and with the keys of
    /// <see cref="Of(SessionResult)"/>: what <see cref="LatencyIntervalRecorder"/> samples while the session runs.</summary>
    /// <param name="session">A created or started session.</param>
    /// <returns>Each stage's key and its sources: one histogram, or one per connection for a live feed's
    /// <see cref="FrameToPublished"/> (summed, as <see cref="SessionResult.PublishLatency"/> merges them); a
    /// recording's publisher exists only once <see cref="EngineSession.PublishRecording"/> has begun, so its function
    /// returns null until then.</returns>
    /// <remarks>Allocates the list; the functions allocate a one-element list when they first resolve.</remarks>
    public static IReadOnlyList<(string Key, Func<IReadOnlyList<LatencyHistogram>?> Sources)> Sources(EngineSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var core = session.Core;
        var client = session.Client;
        var live = client?.ConnectionPublishLatencies;
        List<(string, Func<IReadOnlyList<LatencyHistogram>?>)> stages =
        [
            (FrameToPublished, () => session.LatencySources.Publisher is { } publisher ? [publisher.PublishLatency] : live),
            (PublishedToCore, () => [core.PickupLatency]),
            (FrameToCore, () => [core.ReceiveToCoreLatency]),
            (CoreHandling, () => [core.HandlingLatency]),
            (FeedLatency, () => [core.FeedLatency]),
        ];
        if (session.LatencySources.Gateway is { } gateway)
        {
            foreach (var (key, histogram) in gateway.Stages.All)
            {
                stages.Add((key, () => [histogram]));
            }
        }

        return stages;
    }

    /// <summary>The stages of a replay's core (a replay measures no latency today: their counts are 0).</summary>
    /// <param name="replay">A finished replay.</param>
    /// <returns>Three stages (a replay has no producer).</returns>
    public static IReadOnlyList<ReportStage> Of(ReplayResult replay)
    {
        ArgumentNullException.ThrowIfNull(replay);
        return
        [
            new(PublishedToCore, replay.Core.PickupLatency),
            new(FrameToCore, replay.Core.ReceiveToCoreLatency),
            new(CoreHandling, replay.Core.HandlingLatency),
        ];
    }
}
