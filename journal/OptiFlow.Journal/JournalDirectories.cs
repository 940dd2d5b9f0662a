using System.Globalization;
using System.Security.Cryptography;
using OptiFlow.Journal.Native;
using OptiFlow.Journal.Segments;

namespace OptiFlow.Journal;

/// <summary>
/// Where journals may be written: what a directory holds (<see cref="Inspect(string, out string?)"/>), whether a writer
/// may use it (<see cref="RequireWritable"/>), the per-user private default location (<see cref="PrivateRoot"/>,
/// <see cref="NewPrivatePath"/>), and whether one path is another journal or inside it (<see cref="IsSameOrInside"/>).
/// </summary>
/// <remarks>
/// <para><b>The rules.</b> A writer never deletes or mixes with files it does not own: a non-empty directory that is not
/// an OptiFlow journal is always refused (<see cref="JournalDirectoryRefusal.NotAJournal"/>); an existing journal is
/// refused unless overwriting was asked for, and then only its own segment files are deleted. Every directory the
/// journal creates is mode 0700 and every file 0600 (segments, the lock file).</para>
/// <para><b>The default location</b> is per user, never a shared folder: <c>$XDG_STATE_HOME/optiflow</c>, else
/// <c>~/.local/state/optiflow</c> (journals can be hundreds of MB, so not the RAM-backed <c>$XDG_RUNTIME_DIR</c> unless
/// there is no home), else <c>$XDG_RUNTIME_DIR/optiflow</c>, else <c>/tmp/optiflow-UID</c>. It is created 0700 and then
/// checked without following links (<c>statx(AT_SYMLINK_NOFOLLOW)</c>): it must be a real directory, owned by the
/// effective user and writable by nobody else, or it is refused (<see cref="JournalDirectoryRefusal.NotPrivate"/>);
/// another local user cannot redirect a run's writes through a symbolic link there. Each run gets its own directory
/// inside it with an unpredictable name (<see cref="NewPrivatePath"/>: <c>run-20261122-101500-Xa9k2Qm4Tz</c>), created
/// 0700 by the writer.</para>
/// <para>Cold path: file-system calls, allocates. Stateless: thread-safe.</para>
/// </remarks>
public static class JournalDirectories
{
    /// <summary>Name of the lock file a writer holds in its journal directory (<c>flock(2)</c>, see <see cref="JournalWriter"/>).</summary>
    public const string LockFileName = ".optiflow.lock";

    /// <summary>Name of the sub-journal older versions of <c>optiflow replay</c> wrote inside the journal it read; still recognised as part of a journal.</summary>
    public const string LegacyReplayOutputName = "replay-outbound";

    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const uint FileTypeMask = 0xF000;
    private const uint DirectoryType = 0x4000;
    private const uint SymbolicLinkType = 0xA000;
    private const uint GroupOrOtherWrite = 0x12; // 0022
    private const string NameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>Classifies <paramref name="directory"/> for writing a journal there.</summary>
    /// <param name="directory">The path.</param>
    /// <returns>What it holds.</returns>
    /// <exception cref="JournalIOException">The directory or a segment header cannot be read.</exception>
    public static JournalDirectoryState Inspect(string directory) => Inspect(directory, out _);

    /// <summary>Classifies <paramref name="directory"/> for writing a journal there, naming the first entry that makes it
    /// <see cref="JournalDirectoryState.NotAJournal"/>.</summary>
    /// <param name="directory">The path.</param>
    /// <param name="foreignEntry">With <see cref="JournalDirectoryState.NotAJournal"/>: the offending entry, relative to
    /// <paramref name="directory"/>; otherwise null.</param>
    /// <returns>What it holds.</returns>
    /// <exception cref="JournalIOException">The directory or a segment header cannot be read.</exception>
    public static JournalDirectoryState Inspect(string directory, out string? foreignEntry)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        foreignEntry = null;
        if (File.Exists(full))
        {
            return JournalDirectoryState.NotADirectory;
        }

        if (!Directory.Exists(full))
        {
            return new FileInfo(full).LinkTarget is null ? JournalDirectoryState.Missing : JournalDirectoryState.NotADirectory;
        }

        try
        {
            return Classify(full, allowSubJournals: true, out foreignEntry, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw JournalIOException.From("read journal directory", full, e);
        }
    }

    /// <summary>
    /// Refuses <paramref name="directory"/> as a place to write a journal unless it is missing, empty, or a journal and
    /// <paramref name="overwrite"/> is set; writes nothing. Call it before creating anything, so a refusal leaves no trace.
    /// </summary>
    /// <param name="directory">The path.</param>
    /// <param name="overwrite">Whether an existing journal there may be replaced.</param>
    /// <returns>What the directory holds (<see cref="JournalDirectoryState.Missing"/>, <see cref="JournalDirectoryState.Empty"/> or <see cref="JournalDirectoryState.Journal"/>).</returns>
    /// <exception cref="JournalDirectoryException">The directory is refused; the message says why and what to do.</exception>
    /// <exception cref="JournalIOException">The directory cannot be read.</exception>
    public static JournalDirectoryState RequireWritable(string directory, bool overwrite)
    {
        var full = Path.GetFullPath(directory);
        var state = Inspect(full, out var foreign);
        switch (state)
        {
            case JournalDirectoryState.NotADirectory:
                throw new JournalDirectoryException(JournalDirectoryRefusal.NotADirectory, full, $"Journal directory '{full}' exists and is not a directory; choose a new or empty directory.");
            case JournalDirectoryState.NotAJournal:
                throw new JournalDirectoryException(
                    JournalDirectoryRefusal.NotAJournal,
                    full,
                    $"Journal directory '{full}' is not empty and is not an OptiFlow journal (it holds '{foreign}'); nothing was written or deleted. Choose a new or empty directory.");
            case JournalDirectoryState.Journal when !overwrite:
                throw new JournalDirectoryException(
                    JournalDirectoryRefusal.ExistingJournal,
                    full,
                    $"Journal directory '{full}' already holds an OptiFlow journal; nothing was written. Choose a new or empty directory, or overwrite it (--overwrite, JournalOptions.Overwrite).");
            default:
                return state;
        }
    }

    /// <summary>
    /// The per-user directory that default journals and replay outputs go into, created (mode 0700) when missing and
    /// checked: a real directory (not a symbolic link), owned by the effective user, writable by nobody else.
    /// </summary>
    /// <returns>Its full path.</returns>
    /// <exception cref="JournalDirectoryException">It exists but is not private (<see cref="JournalDirectoryRefusal.NotPrivate"/>).</exception>
    /// <exception cref="JournalIOException">No candidate location can be created.</exception>
    public static string PrivateRoot()
    {
        JournalIOException? lastError = null;
        foreach (var candidate in PrivateRootCandidates())
        {
            try
            {
                return PrivateRootAt(candidate);
            }
            catch (JournalIOException e)
            {
                lastError = e; // e.g. a read-only home: try the next location
            }
        }

        throw lastError ?? new JournalIOException("find a private directory for journals", Path.GetTempPath(), 0);
    }

    /// <summary>Creates <paramref name="candidate"/> (0700) when missing and checks that it is private.</summary>
    /// <returns><paramref name="candidate"/>.</returns>
    /// <exception cref="JournalDirectoryException">It is not private.</exception>
    /// <exception cref="JournalIOException">It cannot be created or checked.</exception>
    internal static string PrivateRootAt(string candidate)
    {
        CreateDirectory(candidate);
        RequirePrivate(candidate);
        return candidate;
    }

    /// <summary>
    /// A new path with an unpredictable name in <see cref="PrivateRoot"/> (which this creates and checks):
    /// <c>PREFIX-yyyyMMdd-HHmmss-XXXXXXXXXX</c>, ten characters from a cryptographic random generator (62¹⁰ names, as
    /// <c>mkdtemp(3)</c> does with six). Nothing is created at the path itself: the writer that uses it creates it (mode
    /// 0700), so a run refused later (bad usage, a CPU outside the mask) leaves no directory behind. No other user can
    /// create anything there first: the root is a private directory.
    /// </summary>
    /// <param name="prefix">The name's start: letters, digits and '-' (e.g. the verb, <c>run</c>).</param>
    /// <returns>Its full path; nothing exists there yet.</returns>
    /// <exception cref="ArgumentException">The prefix is empty or has other characters.</exception>
    /// <exception cref="JournalDirectoryException">The root is not private.</exception>
    /// <exception cref="JournalIOException">The root cannot be created.</exception>
    public static string NewPrivatePath(string prefix)
    {
        RequirePrefix(prefix);
        return NewPathIn(PrivateRoot(), prefix);
    }

    /// <summary>A new unpredictable path in <paramref name="root"/> (see <see cref="NewPrivatePath"/>); nothing is created.</summary>
    internal static string NewPathIn(string root, string prefix)
    {
        RequirePrefix(prefix);
        while (true)
        {
            var path = Path.Combine(
                root,
                string.Create(CultureInfo.InvariantCulture, $"{prefix}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{RandomNumberGenerator.GetString(NameCharacters, 10)}"));
            if (!Path.Exists(path))
            {
                return path;
            }
        }
    }

    private static void RequirePrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        foreach (var c in prefix)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                throw new ArgumentException($"A private directory prefix holds letters, digits and '-' only, not '{prefix}'.", nameof(prefix));
            }
        }
    }

    /// <summary>Whether <paramref name="candidate"/> is <paramref name="directory"/> itself or a path inside it, after
    /// resolving symbolic links and <c>..</c> in the part of each path that exists.</summary>
    /// <param name="candidate">A path that may not exist yet (e.g. a destination).</param>
    /// <param name="directory">An existing directory (e.g. the source journal).</param>
    /// <returns>True when writing <paramref name="candidate"/> would write into <paramref name="directory"/>.</returns>
    public static bool IsSameOrInside(string candidate, string directory)
    {
        var a = Canonical(candidate);
        var b = Canonical(directory);
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return a.Equals(b, comparison) || a.StartsWith(b.EndsWith(Path.DirectorySeparatorChar) ? b : b + Path.DirectorySeparatorChar, comparison);
    }

    /// <summary>Creates <paramref name="directory"/> (and missing parents) with mode 0700.</summary>
    /// <exception cref="JournalIOException">The OS refuses (read-only file system, permissions, a file in the way).</exception>
    internal static void CreateDirectory(string directory)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, PrivateDirectoryMode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw JournalIOException.From("create journal directory", directory, e);
        }
    }

    /// <summary>Deletes the journal's own segment files in <paramref name="directory"/> (never its lock file, its
    /// sub-journals or anything else); the caller holds its lock and has checked it is a journal.</summary>
    /// <returns>Files deleted.</returns>
    /// <exception cref="JournalIOException">A file cannot be deleted.</exception>
    internal static int DeleteSegments(string directory)
    {
        var deleted = 0;
        foreach (var file in Directory.GetFiles(directory, "*" + JournalDescriptor.FileExtension))
        {
            if (!IsSegmentFile(new FileInfo(file)))
            {
                continue;
            }

            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw JournalIOException.From("delete journal segment", file, e);
            }

            deleted++;
        }

        return deleted;
    }

    private static JournalDirectoryState Classify(string directory, bool allowSubJournals, out string? foreignEntry, out int segments)
    {
        foreignEntry = null;
        segments = 0;
        var subJournals = false;
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var name = entry.Name;
            if (entry.LinkTarget is not null)
            {
                foreignEntry = name;
                return JournalDirectoryState.NotAJournal;
            }

            if (entry is DirectoryInfo sub)
            {
                if (allowSubJournals && (name == JournalDescriptor.OutboundDirectoryName || name == LegacyReplayOutputName))
                {
                    var state = Classify(sub.FullName, allowSubJournals: false, out var inner, out var innerSegments);
                    if (state == JournalDirectoryState.NotAJournal)
                    {
                        foreignEntry = Path.Combine(name, inner!);
                        return state;
                    }

                    subJournals |= innerSegments > 0;
                    continue;
                }

                foreignEntry = name;
                return JournalDirectoryState.NotAJournal;
            }

            if (name == LockFileName)
            {
                continue;
            }

            if (entry is FileInfo file && IsSegmentFile(file))
            {
                segments++;
                continue;
            }

            foreignEntry = name;
            return JournalDirectoryState.NotAJournal;
        }

        return segments > 0 || subJournals ? JournalDirectoryState.Journal : JournalDirectoryState.Empty;
    }

    /// <summary>
    /// A regular file named like a segment (20 digits + <c>.seg</c>) that starts with the journal magic, or with no
    /// magic yet (shorter than it, or zeros: a segment whose creation never completed). A segment of another format
    /// version is still a journal's; a file with any other first 8 bytes is not.
    /// </summary>
    private static bool IsSegmentFile(FileInfo file)
    {
        if (file.LinkTarget is not null || !MappedSegment.TryParseFileName(file.Name, out _))
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[sizeof(ulong)];
        using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < magic.Length)
        {
            return true;
        }

        stream.ReadExactly(magic);
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(magic);
        return value is 0 or JournalDescriptor.Magic;
    }

    private static IEnumerable<string> PrivateRootCandidates()
    {
        if (OperatingSystem.IsWindows())
        {
            yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "OptiFlow");
            yield break;
        }

        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (!string.IsNullOrEmpty(state) && Path.IsPathRooted(state))
        {
            yield return Path.Combine(state, "optiflow");
        }

        var home = Environment.GetEnvironmentVariable("HOME");
        if (!string.IsNullOrEmpty(home) && Path.IsPathRooted(home) && Directory.Exists(home))
        {
            yield return Path.Combine(home, ".local", "state", "optiflow");
        }

        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime) && Path.IsPathRooted(runtime))
        {
            yield return Path.Combine(runtime, "optiflow");
        }

        var uid = Libc.IsAvailable ? Libc.EffectiveUserId().ToString(CultureInfo.InvariantCulture) : Environment.UserName;
        yield return Path.Combine(Path.GetTempPath(), "optiflow-" + uid);
    }

    /// <summary>Refuses a directory that another user could write to or redirect.</summary>
    private static void RequirePrivate(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string? problem;
        if (Libc.IsAvailable)
        {
            var errno = Libc.StatNoFollow(directory, out var uid, out var mode);
            if (errno != 0)
            {
                throw new JournalIOException("check the private directory", directory, errno);
            }

            var euid = Libc.EffectiveUserId();
            problem = (mode & FileTypeMask) == SymbolicLinkType ? "it is a symbolic link"
                : (mode & FileTypeMask) != DirectoryType ? "it is not a directory"
                : uid != euid ? string.Create(CultureInfo.InvariantCulture, $"it is owned by uid {uid}, not by you (uid {euid})")
                : (mode & GroupOrOtherWrite) != 0 ? string.Create(CultureInfo.InvariantCulture, $"others may write to it (mode {Convert.ToString(mode & 0xFFF, 8)})")
                : null;
        }
        else
        {
            var info = new DirectoryInfo(directory);
            problem = info.LinkTarget is not null ? "it is a symbolic link"
                : (info.UnixFileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0 ? "others may write to it"
                : null;
        }

        if (problem is not null)
        {
            throw new JournalDirectoryException(
                JournalDirectoryRefusal.NotPrivate,
                directory,
                $"Refusing the default journal location '{directory}': {problem}. It must be a directory of your own that nobody else can write to (mkdir -m 700); remove it, or give a journal directory explicitly.");
        }
    }

    /// <summary>The full path with symbolic links and <c>..</c> resolved in its longest existing prefix.</summary>
    private static string Canonical(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var existing = full;
        var rest = new Stack<string>();
        while (!Path.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return full;
            }

            rest.Push(Path.GetFileName(existing));
            existing = parent;
        }

        var resolved = (Libc.IsAvailable ? Libc.RealPath(existing) : null) ?? existing;
        while (rest.Count > 0)
        {
            resolved = Path.Combine(resolved, rest.Pop());
        }

        return Path.TrimEndingDirectorySeparator(resolved);
    }
}
