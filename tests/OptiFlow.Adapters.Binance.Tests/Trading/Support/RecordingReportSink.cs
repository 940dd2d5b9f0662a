using OptiFlow.Engine.Matching;

namespace OptiFlow.Adapters.Binance.Tests.Trading.Support;

/// <summary>Keeps every report (thread-safe: the venue's receive threads call it).</summary>
public sealed class RecordingReportSink : IExecutionReportSink
{
    private readonly List<ExecutionReport> _reports = [];

    public ExecutionReport[] Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void OnExecutionReport(in ExecutionReport report)
    {
        lock (_reports)
        {
            _reports.Add(report);
        }
    }
}
