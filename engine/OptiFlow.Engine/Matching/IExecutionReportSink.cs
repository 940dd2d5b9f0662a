namespace OptiFlow.Engine.Matching;

/// <summary>Receives the <see cref="ExecutionReport"/>s a <see cref="MatchingEngine"/> produces, one call per report.</summary>
/// <remarks>
/// Called synchronously on the thread that drives the engine, in the order the reports happen. The report is passed by
/// reference and valid only during the call: copy it to keep it. An implementation must not call back into the engine.
/// </remarks>
public interface IExecutionReportSink
{
    /// <summary>Handles one report.</summary>
    /// <param name="report">The report; valid only during the call.</param>
    void OnExecutionReport(in ExecutionReport report);
}
