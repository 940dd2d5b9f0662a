using OptiFlow.Engine.Matching;

namespace OptiFlow.Engine.Tests.Matching;

/// <summary>Keeps every report in a pre-allocated array (no growth up to its capacity, so allocation tests can use it).</summary>
internal sealed class RecordingExecutionReportSink(int capacity = 1024) : IExecutionReportSink
{
    private readonly ExecutionReport[] _reports = new ExecutionReport[capacity];

    public int Count { get; private set; }

    public long Total { get; private set; }

    public ExecutionReport this[int index] => _reports[index];

    public ExecutionReport Last => _reports[Count - 1];

    public void OnExecutionReport(in ExecutionReport report)
    {
        Total++;
        if (Count == _reports.Length)
        {
            Count = 0;
        }

        _reports[Count++] = report;
    }

    public void Clear() => Count = 0;

    public ExecutionReport[] ToArray() => _reports.AsSpan(0, Count).ToArray();
}
