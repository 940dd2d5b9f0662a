namespace OptiFlow.Journal;

/// <summary>Why a journal directory was refused (<see cref="JournalDirectoryException.Reason"/>).</summary>
/// <remarks>Values are stable.</remarks>
public enum JournalDirectoryRefusal
{
    /// <summary>Not set.</summary>
    None = 0,

    /// <summary>The directory is not empty and holds something that is not part of an OptiFlow journal (a user's own
    /// files, including <c>*.seg</c> files that are not journal segments): the journal never deletes or mixes with them.</summary>
    NotAJournal = 1,

    /// <summary>The directory holds an OptiFlow journal and overwriting was not asked for (<see cref="JournalOptions.Overwrite"/>, <c>--overwrite</c>).</summary>
    ExistingJournal = 2,

    /// <summary>Another writer holds the directory's lock (<see cref="JournalDirectories.LockFileName"/>).</summary>
    Locked = 3,

    /// <summary>The path exists and is not a directory.</summary>
    NotADirectory = 4,

    /// <summary>A directory that must be private (the default location) is a symbolic link, is owned by another user,
    /// or is writable by others.</summary>
    NotPrivate = 5,

    /// <summary>The destination is the source journal itself, or inside it (<c>journal copy</c>, <c>replay --output</c>).</summary>
    SameAsSource = 6,
}
