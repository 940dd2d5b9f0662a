namespace OptiFlow.Engine.Hosting.Export;

/// <summary>Which table of a journal an export writes (<see cref="JournalExport.Columns"/> lists each one's columns).</summary>
public enum JournalExportKind
{
    /// <summary>One row per inbound market event (execution-report slots left out and counted). <c>optiflow journal export</c>.</summary>
    MarketEvents,

    /// <summary>One row per outbound signal, the columns of <c>optiflow signals</c> first. <c>--outbound</c>.</summary>
    Signals,

    /// <summary>One row per outbound order command. <c>--orders</c>.</summary>
    OrderCommands,

    /// <summary>One row per outbound snapshot request. <c>--requests</c>.</summary>
    SnapshotRequests,

    /// <summary>One row per outbound evaluator record (opportunities, VPIN buckets, OFI/TFI, faults). <c>--evaluators</c>.</summary>
    EvaluatorRecords,

    /// <summary>One row per execution report of the inbound journal. <c>--executions</c>.</summary>
    ExecutionReports,
}
