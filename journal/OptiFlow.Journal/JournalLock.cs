using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using OptiFlow.Journal.Native;

namespace OptiFlow.Journal;

/// <summary>
/// The exclusive lock one writer holds on a journal directory: <c>flock(LOCK_EX | LOCK_NB)</c> on
/// <c>DIR/.optiflow.lock</c>, a 0600 file holding the writer's process id. A second writer, in this process or another,
/// is refused with a <see cref="JournalDirectoryException"/> (<see cref="JournalDirectoryRefusal.Locked"/>) naming the
/// directory and that process id.
/// </summary>
/// <remarks>
/// <para>Why <c>flock(2)</c>, called directly: the lock belongs to the open file description, so two writers in one
/// process exclude each other as two processes do, and the kernel drops it when the holder dies (SIGKILL included):
/// a stale lock file never blocks anyone. POSIX record locks (<c>fcntl(F_SETLK)</c>, which .NET's
/// <see cref="FileStream.Lock"/> uses on Unix) belong to the process instead: a second writer in the same process would
/// get the lock too, and closing any descriptor of the file drops it. .NET's <see cref="FileShare"/> emulation does take
/// <c>flock</c>, but it ignores every error except <c>EWOULDBLOCK</c> and is switched off process-wide by
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>; a journal must not lose its lock to an environment variable. Here an
/// error other than "held elsewhere" (a file system without locks, <c>ENOLCK</c>) refuses the writer with a
/// <see cref="JournalIOException"/>.</para>
/// <para>The lock file is opened with <c>O_NOFOLLOW</c> (a symbolic link there is refused, not followed) and
/// <c>O_CLOEXEC</c>, and is never deleted: deleting a lock file races with a writer that has just opened it. The lock is
/// advisory: it excludes OptiFlow writers (<see cref="JournalWriter"/>, <c>optiflow run</c>, <c>journal copy</c>,
/// <c>replay --output</c>), not other programs. Readers take no lock. Elsewhere than Linux, a
/// <see cref="FileShare.None"/> open stands in for it.</para>
/// <para>Cold path: allocates. Not thread-safe; owned by one writer.</para>
/// </remarks>
internal sealed class JournalLock : IDisposable
{
    private const int ContentLength = 32;
    private SafeFileHandle? _handle;
    private FileStream? _managed;

    private JournalLock(string directory, string path)
    {
        Directory = directory;
        Path = path;
    }

    /// <summary>The locked directory.</summary>
    public string Directory { get; }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Locks <paramref name="directory"/> (which must exist), creating its lock file when missing.</summary>
    /// <param name="directory">Full path of the journal directory.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="JournalDirectoryException">Another writer holds it.</exception>
    /// <exception cref="JournalIOException">The lock file cannot be created or locked (read-only directory, a symbolic link, no lock support).</exception>
    public static JournalLock Acquire(string directory)
    {
        var path = System.IO.Path.Combine(directory, JournalDirectories.LockFileName);
        var journalLock = new JournalLock(directory, path);
        if (!Libc.IsAvailable)
        {
            journalLock.AcquireManaged();
            return journalLock;
        }

        var fd = Libc.Open(path, Libc.ReadWrite | Libc.Create | Libc.CloseOnExec | Libc.NoFollow, Libc.PrivateFileMode, out var errno);
        if (fd < 0)
        {
            throw new JournalIOException("create journal lock file", path, errno);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var lockError = Libc.TryLockExclusive(fd);
        if (lockError != 0)
        {
            handle.Dispose();
            if (lockError == Libc.EAGAIN)
            {
                throw Held(directory, path, ReadHolder(path));
            }

            throw new JournalIOException("lock journal directory with flock(2) on", path, lockError);
        }

        journalLock._handle = handle;
        try
        {
            RandomAccess.Write(handle, Content(), 0);
        }
        catch (IOException)
        {
            // The pid is only informational (it names the holder in a refusal); a full disk must not fail the lock.
        }

        return journalLock;
    }

    /// <summary>Releases the lock (closes the descriptor). Idempotent.</summary>
    public void Dispose()
    {
        _handle?.Dispose();
        _handle = null;
        _managed?.Dispose();
        _managed = null;
    }

    private void AcquireManaged()
    {
        try
        {
            _managed = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            _managed.Write(Content());
            _managed.Flush();
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw Held(Directory, Path, null);
        }
        catch (UnauthorizedAccessException e)
        {
            throw JournalIOException.From("create journal lock file", Path, e);
        }
    }

    private static byte[] Content() =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}").PadRight(ContentLength - 1) + "\n");

    private static JournalDirectoryException Held(string directory, string path, int? pid) =>
        new(
            JournalDirectoryRefusal.Locked,
            directory,
            $"Journal directory '{directory}' is in use by another writer{(pid is { } p ? string.Create(CultureInfo.InvariantCulture, $" (pid {p})") : string.Empty)}: its lock file '{path}' is held. Wait for that writer to finish, or choose another directory.",
            pid);

    /// <summary>The process id a lock file names, or null when it cannot be read.</summary>
    private static int? ReadHolder(string path)
    {
        var fd = Libc.Open(path, Libc.ReadOnly | Libc.CloseOnExec | Libc.NoFollow, 0, out _);
        if (fd < 0)
        {
            return null;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = new byte[ContentLength];
        int read;
        try
        {
            read = RandomAccess.Read(handle, buffer, 0);
        }
        catch (IOException)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(buffer, 0, read).Trim();
        return text.StartsWith("pid ", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
