namespace OptiFlow.Journal;

/// <summary>
/// A committed record is damaged: its CRC-32C does not match its payload, or it is torn (a non-zero length that is
/// not 8-aligned, too small, inconsistent with its payload length, or runs past the end of its segment), or its
/// type is unknown. The message names the segment file and the byte offset of the frame within it.
/// </summary>
/// <remarks>
/// The reader throws it instead of skipping the record; the reader stays positioned on the damaged frame, so reading
/// again throws again. A verify tool can truncate the journal at <see cref="Position"/>.
/// </remarks>
public sealed class JournalCorruptException : IOException
{
    /// <summary>Creates the exception without details.</summary>
    public JournalCorruptException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public JournalCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public JournalCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a frame at a known place.</summary>
    /// <param name="message">What is wrong; should name the file and offset.</param>
    /// <param name="segmentFile">Full path of the segment file.</param>
    /// <param name="offset">Byte offset of the frame within the segment file.</param>
    /// <param name="position">Journal position of the frame (segment base position + offset).</param>
    public JournalCorruptException(string message, string segmentFile, long offset, long position)
        : base(message)
    {
        SegmentFile = segmentFile;
        Offset = offset;
        Position = position;
    }

    /// <summary>Full path of the segment file holding the damaged frame, or null when unknown.</summary>
    public string? SegmentFile { get; }

    /// <summary>Byte offset of the damaged frame within <see cref="SegmentFile"/>; -1 when unknown.</summary>
    public long Offset { get; } = -1;

    /// <summary>Journal position of the damaged frame (bytes); -1 when unknown.</summary>
    public long Position { get; } = -1;
}
