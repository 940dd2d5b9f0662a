namespace OptiFlow.PerfTests.Pipeline;

/// <summary>Where one frame sits in <see cref="RecordedLines.Bytes"/>, and what the recording reader returned with it
/// (<see cref="Adapters.Binance.Recording.RecordedFrame"/>), so the decode stage publishes exactly what a session would.</summary>
/// <param name="Start">Offset of the frame's first byte.</param>
/// <param name="Length">The frame's length in bytes.</param>
/// <param name="LocalTimestampNs">Recorder wall-clock time, ns since the Unix epoch.</param>
/// <param name="Line">1-based line in its file.</param>
/// <param name="FileIndex">0-based file index in the session.</param>
/// <param name="SymbolHint">Symbol id for a bare REST snapshot, else -1.</param>
/// <param name="LineFormatError">The line lacked the <c>&lt;digits&gt; &lt;frame&gt;</c> shape.</param>
internal readonly record struct RecordedLine(int Start, int Length, long LocalTimestampNs, long Line, int FileIndex, int SymbolHint, bool LineFormatError);
