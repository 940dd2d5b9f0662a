namespace OptiFlow.Journal;

/// <summary>What a directory holds, as <see cref="JournalDirectories.Inspect(string)"/> classifies it for writing a journal there.</summary>
/// <remarks>Values are stable.</remarks>
public enum JournalDirectoryState
{
    /// <summary>Nothing exists at the path: a writer creates the directory (mode 0700).</summary>
    Missing = 0,

    /// <summary>An empty directory, or one holding only journal leftovers with no segment (a lock file, empty sub-journal directories): a writer may use it.</summary>
    Empty = 1,

    /// <summary>An OptiFlow journal: only segment files (20-digit names, a journal header or a header never completed),
    /// its lock file and its sub-journals (<c>outbound/</c>, and <c>replay-outbound/</c> from older versions). A writer
    /// refuses it unless asked to overwrite.</summary>
    Journal = 2,

    /// <summary>A non-empty directory holding anything else (a user's files, a symbolic link, a <c>*.seg</c> file that
    /// is not a journal segment): a writer always refuses it and never deletes anything in it.</summary>
    NotAJournal = 3,

    /// <summary>The path exists and is not a directory.</summary>
    NotADirectory = 4,
}
