using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Replay.Tests.Support;

/// <summary>Runs recordings through the public host (<see cref="EngineSession"/>), as a user's program would.</summary>
internal static class HostedRun
{
    /// <summary>One file session: open, start, publish, stop.</summary>
    public static SessionResult Run(Market market, IReadOnlyList<string> files, EngineOptions? options = null) =>
        Run(RecordingInput.Open(files, RecordingFormat.Auto, market), options);

    /// <summary>One file session over an opened input.</summary>
    public static SessionResult Run(RecordingInput input, EngineOptions? options = null)
    {
        using var session = EngineSession.ForRecording(input, options ?? new EngineOptions());
        session.Start();
        session.PublishRecording();
        return session.Stop();
    }
}

/// <summary>An outbound consumer that keeps every signal and snapshot request (test-only; allocates).</summary>
internal sealed class CapturingOutboundHandler : IEventHandler<OutboundEvent>
{
    public List<SignalEvent> Signals { get; } = [];

    public List<SnapshotRequest> Requests { get; } = [];

    public void OnStart()
    {
    }

    public void OnBatchStart(long firstSequence, long count)
    {
    }

    public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
    {
        switch (data.Kind)
        {
            case OutboundEventKind.Signal:
                Signals.Add(data.Signal);
                break;
            case OutboundEventKind.SnapshotRequest:
                Requests.Add(data.SnapshotRequest);
                break;
        }
    }

    public void OnShutdown()
    {
    }
}
