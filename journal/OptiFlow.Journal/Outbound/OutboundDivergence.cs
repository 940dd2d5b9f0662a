using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Journal.Outbound;

/// <summary>The first place where two outbound streams differ (<see cref="SignalStreamComparer.Compare"/>).</summary>
/// <param name="Index">0-based index of the first differing Signal record.</param>
/// <param name="Sequence">Outbound sequence of the expected record (or of the actual one when the expected stream ended).</param>
/// <param name="Expected">The expected signal, or null when the expected stream ended first.</param>
/// <param name="Actual">The actual signal, or null when the actual stream ended first.</param>
/// <param name="Field">Name of the first differing field (<see cref="SignalRecordDescriptor"/> order), "Sequence" when only the record sequence differs, or "end of stream".</param>
/// <param name="ByteOffset">Offset in the 96-byte payload of the first differing byte; -1 for a sequence or length difference.</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record SignalDivergence(long Index, long Sequence, SignalEvent? Expected, SignalEvent? Actual, string Field, int ByteOffset);
