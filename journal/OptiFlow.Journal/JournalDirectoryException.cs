namespace OptiFlow.Journal;

/// <summary>
/// A journal directory was refused before anything was written to it: it holds files that are not an OptiFlow journal,
/// it holds a journal that would be overwritten without leave, another writer holds its lock, or it is not a private
/// directory where one is required. The message names the directory and says what to do instead.
/// </summary>
/// <remarks>
/// A choice the caller can change (another directory, an explicit overwrite), so the command line reports it as bad
/// usage (exit 2); an OS error is a <see cref="JournalIOException"/> instead. Immutable: thread-safe.
/// </remarks>
public sealed class JournalDirectoryException : IOException
{
    /// <summary>Creates the exception without details.</summary>
    public JournalDirectoryException()
    {
        Directory = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the directory was refused.</param>
    public JournalDirectoryException(string message)
        : base(message)
    {
        Directory = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Why the directory was refused.</param>
    /// <param name="innerException">The cause.</param>
    public JournalDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Directory = string.Empty;
    }

    /// <summary>Creates the exception for a directory.</summary>
    /// <param name="reason">Why it was refused.</param>
    /// <param name="directory">Full path of the directory.</param>
    /// <param name="message">The one-line message naming it.</param>
    /// <param name="holderProcessId">With <see cref="JournalDirectoryRefusal.Locked"/>: the process id the lock file names, or null.</param>
    public JournalDirectoryException(JournalDirectoryRefusal reason, string directory, string message, int? holderProcessId = null)
        : base(message)
    {
        Reason = reason;
        Directory = directory;
        HolderProcessId = holderProcessId;
    }

    /// <summary>Why the directory was refused.</summary>
    public JournalDirectoryRefusal Reason { get; }

    /// <summary>Full path of the refused directory.</summary>
    public string Directory { get; }

    /// <summary>The process that holds the lock, as its lock file says (<see cref="JournalDirectoryRefusal.Locked"/> only); null when unknown.</summary>
    public int? HolderProcessId { get; }
}
