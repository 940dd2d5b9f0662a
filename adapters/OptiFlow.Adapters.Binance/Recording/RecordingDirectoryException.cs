namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// A <see cref="DailyRecordingWriter"/> refused its directory before writing anything to it: another recorder holds it,
/// or a day file it would append to is damaged (a recorder killed before closing it) or not gzip. The message is one
/// line naming the file and what to do.
/// </summary>
/// <remarks>An <see cref="IOException"/>; the command line maps it to exit code 2 (refused before anything was written),
/// as it does a refused journal directory.</remarks>
public sealed class RecordingDirectoryException : IOException
{
    /// <summary>Creates the exception without details.</summary>
    public RecordingDirectoryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    public RecordingDirectoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="innerException">The cause.</param>
    public RecordingDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
