namespace OptiFlow.Engine.Hosting.Export;

/// <summary>What a <see cref="JournalExport"/> wrote.</summary>
/// <param name="Rows">Rows written (the header line not counted).</param>
/// <param name="ExecutionReportsLeftOut">For <see cref="JournalExportKind.MarketEvents"/>: execution-report slots of the
/// inbound journal, which are not market events and were left out (export them with <see cref="JournalExportKind.ExecutionReports"/>); else 0.</param>
public sealed record JournalExportResult(long Rows, long ExecutionReportsLeftOut);
