namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// One line of a recorded session, as returned by <see cref="RecordingReader.TryRead"/>: the recorder's local time and
/// the raw frame bytes.
/// </summary>
/// <remarks>
/// A view over the reader's buffers: <see cref="Frame"/> is valid only until the next <see cref="RecordingReader.TryRead"/>
/// or <see cref="RecordingReader.Dispose"/>. Allocation-free; a <c>ref struct</c> so it cannot outlive that window
/// by accident.
/// </remarks>
public readonly ref struct RecordedFrame
{
    /// <summary>Creates a frame view (used by <see cref="RecordingReader"/> and by tests).</summary>
    /// <param name="localTimestampNs">Recorder wall-clock time, ns since the Unix epoch; 0 for a line-format error.</param>
    /// <param name="frame">The frame bytes (the whole line for a line-format error).</param>
    /// <param name="line">1-based line number within its file.</param>
    /// <param name="fileIndex">0-based index of the file in the session.</param>
    /// <param name="path">Path of the file.</param>
    /// <param name="symbolHint">Symbol id for a bare snapshot line, else -1.</param>
    /// <param name="lineFormatError">Whether the line lacks the <c>&lt;digits&gt; &lt;frame&gt;</c> shape.</param>
    public RecordedFrame(long localTimestampNs, ReadOnlySpan<byte> frame, long line, int fileIndex, string path, int symbolHint, bool lineFormatError)
    {
        LocalTimestampNs = localTimestampNs;
        Frame = frame;
        Line = line;
        FileIndex = fileIndex;
        Path = path;
        SymbolHint = symbolHint;
        LineFormatError = lineFormatError;
    }

    /// <summary>Recorder wall-clock time, ns since the Unix epoch (µs timestamps are multiplied by 1000); 0 when <see cref="LineFormatError"/>.</summary>
    public long LocalTimestampNs { get; }

    /// <summary>The raw frame (WebSocket text or REST body); the whole line when <see cref="LineFormatError"/>. Valid until the next read.</summary>
    public ReadOnlySpan<byte> Frame { get; }

    /// <summary>1-based line number within its file (empty lines count).</summary>
    public long Line { get; }

    /// <summary>0-based index of the file within the session.</summary>
    public int FileIndex { get; }

    /// <summary>Path of the file the line came from.</summary>
    public string Path { get; }

    /// <summary>
    /// For a line that is not a combined-stream frame (a bare REST snapshot): the symbol id the file's streams name
    /// (see <see cref="RecordingReader"/>, "Bare snapshot symbol"), -1 when they name none (or the table lacks it), or
    /// <see cref="MarketData.BinanceFrameDecoder.AmbiguousSymbolHint"/> when they name several. Always -1 for
    /// combined-stream frames.
    /// </summary>
    public int SymbolHint { get; }

    /// <summary>The line lacks <c>&lt;digits&gt; &lt;frame&gt;</c>; the pipeline reports it as <see cref="Engine.Model.DecodeErrorCode.InvalidLineFormat"/>.</summary>
    public bool LineFormatError { get; }
}
