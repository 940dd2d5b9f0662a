using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>The file-mode reference: the recording (snapshots included) run through a host session, as
/// <c>optiflow run</c> runs it, without a journal.</summary>
internal static class FileRun
{
    public static MarketCore Run(string path, Market market)
    {
        using var session = EngineSession.ForRecording(RecordingInput.Open([path], RecordingFormat.Auto, market));
        session.Start();
        session.PublishRecording();
        return session.Stop().Core;
    }
}
