namespace OptiFlow.Journal;

/// <summary>
/// A segment file is not a journal segment this code can read: bad magic, another format version, another
/// <see cref="OptiFlow.Engine.Model.MarketEventDescriptor.Version"/>, a header that disagrees with the file name or
/// size, or a bad file name. The message names the file.
/// </summary>
/// <remarks>Thrown on the reader's open path (cold). Not a sign of a torn write: see <see cref="JournalCorruptException"/>.</remarks>
public sealed class JournalFormatException : IOException
{
    /// <summary>Creates the exception without details.</summary>
    public JournalFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public JournalFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public JournalFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a named segment file.</summary>
    /// <param name="message">What is wrong; should name the file.</param>
    /// <param name="segmentFile">Full path of the segment file.</param>
    public JournalFormatException(string message, string segmentFile)
        : base(message) => SegmentFile = segmentFile;

    /// <summary>Full path of the offending segment file, or null when not about one file.</summary>
    public string? SegmentFile { get; }
}
