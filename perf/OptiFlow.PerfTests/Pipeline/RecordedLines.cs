using OptiFlow.Engine.Hosting;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>
/// Every frame of a recording, read once through the session's own reader (<see cref="RecordingInput.OpenReader"/>:
/// file reading and gunzip happen here, before anything is timed) and kept in memory: the frame bytes back to back in
/// one array, and per frame what the reader gave with it (recorder time, symbol hint, file and line).
/// </summary>
/// <remarks>Cold path: loading allocates (the byte array grows by doubling). Immutable afterwards; the stages read it
/// from one thread at a time.</remarks>
internal sealed class RecordedLines
{
    private RecordedLines(byte[] bytes, RecordedLine[] lines, long totalBytes)
    {
        Bytes = bytes;
        Lines = lines;
        TotalBytes = totalBytes;
    }

    /// <summary>The frames' bytes, back to back.</summary>
    public byte[] Bytes { get; }

    /// <summary>One entry per frame the reader returned, in order.</summary>
    public RecordedLine[] Lines { get; }

    /// <summary>Frame bytes held (the recorder's timestamps and line ends not included).</summary>
    public long TotalBytes { get; }

    /// <summary>Frames held.</summary>
    public int Count => Lines.Length;

    /// <summary>The bytes of frame <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Frame(int index)
    {
        ref readonly var line = ref Lines[index];
        return Bytes.AsSpan(line.Start, line.Length);
    }

    /// <summary>Reads every frame of <paramref name="input"/>.</summary>
    /// <exception cref="Adapters.Binance.Recording.DamagedRecordingException">The recording's gzip data is damaged: the
    /// harness wants a clean recording, so the damage is not skipped as a session would.</exception>
    /// <exception cref="InvalidOperationException">The frames hold 2 GiB or more.</exception>
    public static RecordedLines Load(RecordingInput input)
    {
        var bytes = new byte[1 << 24];
        var lines = new List<RecordedLine>(1 << 16);
        var used = 0;
        using var reader = input.OpenReader();
        while (reader.TryRead(out var frame))
        {
            var span = frame.Frame;
            if ((long)used + span.Length > Array.MaxLength)
            {
                throw new InvalidOperationException($"{string.Join(", ", input.Files)}: the frames hold 2 GiB or more; give a smaller recording.");
            }

            if (used + span.Length > bytes.Length)
            {
                Array.Resize(ref bytes, (int)Math.Min(Array.MaxLength, Math.Max((long)bytes.Length * 2, (long)used + span.Length)));
            }

            span.CopyTo(bytes.AsSpan(used));
            lines.Add(new RecordedLine(used, span.Length, frame.LocalTimestampNs, frame.Line, frame.FileIndex, frame.SymbolHint, frame.LineFormatError));
            used += span.Length;
        }

        return new RecordedLines(bytes, [.. lines], used);
    }
}
