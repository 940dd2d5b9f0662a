using System.Runtime.InteropServices;

namespace OptiFlow.Journal.Native;

/// <summary>
/// The few Linux system calls the journal makes itself instead of through <see cref="FileStream"/>, each for a reason
/// the managed API cannot meet: exact errno values in error messages, <c>O_NOFOLLOW</c>/<c>O_EXCL</c> on every file
/// the journal creates, mode 0600 at creation, <c>flock(2)</c> on a descriptor the runtime does not also lock, and
/// <c>statx</c> for the private default directory.
/// </summary>
/// <remarks>
/// Linux only (callers check <see cref="IsAvailable"/> and fall back to managed I/O elsewhere). Open flags that differ
/// between architectures (<c>O_NOFOLLOW</c>, <c>O_DIRECTORY</c>) are chosen from
/// <see cref="RuntimeInformation.ProcessArchitecture"/>: the asm-generic values on x86/x64, the arm ones on Arm/Arm64.
/// Cold path only (open, create, lock); stateless: thread-safe.
/// </remarks>
internal static unsafe partial class Libc
{
    /// <summary>errno: operation not permitted (also an immutable file, for root).</summary>
    public const int EPERM = 1;

    /// <summary>errno: no such file or directory.</summary>
    public const int ENOENT = 2;

    /// <summary>errno: resource temporarily unavailable; <c>flock(LOCK_NB)</c> on a held lock (EWOULDBLOCK).</summary>
    public const int EAGAIN = 11;

    /// <summary>errno: permission denied.</summary>
    public const int EACCES = 13;

    /// <summary>errno: file exists.</summary>
    public const int EEXIST = 17;

    /// <summary>errno: invalid argument.</summary>
    public const int EINVAL = 22;

    /// <summary>errno: file too large (RLIMIT_FSIZE, or the file system's limit).</summary>
    public const int EFBIG = 27;

    /// <summary>errno: no space left on device.</summary>
    public const int ENOSPC = 28;

    /// <summary>errno: read-only file system.</summary>
    public const int EROFS = 30;

    /// <summary>errno: too many levels of symbolic links (what <c>O_NOFOLLOW</c> gives for a symbolic link).</summary>
    public const int ELOOP = 40;

    /// <summary>errno: operation not supported.</summary>
    public const int EOPNOTSUPP = 95;

    /// <summary><c>open</c> flag: read only.</summary>
    public const int ReadOnly = 0;

    /// <summary><c>open</c> flag: read and write.</summary>
    public const int ReadWrite = 2;

    /// <summary><c>open</c> flag: create when missing.</summary>
    public const int Create = 0x40;

    /// <summary><c>open</c> flag: with <see cref="Create"/>, fail when the name exists (a symbolic link included).</summary>
    public const int Exclusive = 0x80;

    /// <summary><c>open</c> flag: close on exec, so a child process never inherits a journal descriptor or lock.</summary>
    public const int CloseOnExec = 0x80000;

    /// <summary><c>flock</c>: exclusive lock.</summary>
    public const int LockExclusive = 2;

    /// <summary><c>flock</c>: do not block.</summary>
    public const int LockNonBlocking = 4;

    /// <summary>Mode of every file the journal creates: 0600.</summary>
    public const uint PrivateFileMode = 0x180;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;
    private const int StatxModeOffset = 28;

    /// <summary>True on Linux, where these calls are made; elsewhere callers use managed I/O.</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64;

    /// <summary><c>open</c> flag: fail with <see cref="ELOOP"/> when the last component is a symbolic link.</summary>
    public static int NoFollow => IsArm ? 0x8000 : 0x20000;

    /// <summary>Opens (or creates) a file; returns the descriptor or -1 with the errno in <paramref name="errno"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="flags">Open flags (the constants of this class).</param>
    /// <param name="mode">Mode of a created file (before the umask).</param>
    /// <param name="errno">The error, or 0.</param>
    /// <returns>The descriptor, or -1.</returns>
    public static int Open(string path, int flags, uint mode, out int errno)
    {
        var fd = OpenNative(path, flags, mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>Takes an exclusive, non-blocking <c>flock</c>; returns 0 or the errno (<see cref="EAGAIN"/> when held elsewhere).</summary>
    /// <param name="fd">The descriptor.</param>
    /// <returns>0 or the errno.</returns>
    public static int TryLockExclusive(int fd) =>
        FlockNative(fd, LockExclusive | LockNonBlocking) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Allocates <paramref name="length"/> bytes of the file on the device (<c>posix_fallocate</c>); returns 0 or the errno.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="length">Bytes from offset 0.</param>
    /// <returns>0 or the errno (<see cref="ENOSPC"/>, <see cref="EFBIG"/>, …).</returns>
    public static int Allocate(int fd, long length) => PosixFallocate(fd, 0, length);

    /// <summary>The owner, file type and permission bits of <paramref name="path"/> itself (a symbolic link is not followed).</summary>
    /// <param name="path">The path.</param>
    /// <param name="uid">Owner's user id.</param>
    /// <param name="mode">The <c>st_mode</c> bits (type and permissions).</param>
    /// <returns>0 or the errno.</returns>
    public static int StatNoFollow(string path, out uint uid, out uint mode)
    {
        var buffer = stackalloc byte[StatxSize];
        if (StatxNative(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            uid = 0;
            mode = 0;
            return Marshal.GetLastPInvokeError();
        }

        uid = *(uint*)(buffer + StatxUidOffset);
        mode = *(ushort*)(buffer + StatxModeOffset);
        return 0;
    }

    /// <summary>The canonical absolute path (every symbolic link resolved), or null when it cannot be resolved.</summary>
    /// <param name="path">An existing path.</param>
    /// <returns>The resolved path, or null.</returns>
    public static string? RealPath(string path)
    {
        var resolved = RealpathNative(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            FreeNative(resolved);
        }
    }

    /// <summary>The process's effective user id.</summary>
    /// <returns>The uid.</returns>
    public static uint EffectiveUserId() => GetEuidNative();

    /// <summary>The conventional name of an errno value (<c>ENOSPC</c>), or <c>errno N</c>.</summary>
    /// <param name="errno">The value.</param>
    /// <returns>The name.</returns>
    public static string ErrnoName(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        5 => "EIO",
        9 => "EBADF",
        EAGAIN => "EAGAIN",
        12 => "ENOMEM",
        EACCES => "EACCES",
        16 => "EBUSY",
        EEXIST => "EEXIST",
        18 => "EXDEV",
        19 => "ENODEV",
        20 => "ENOTDIR",
        21 => "EISDIR",
        EINVAL => "EINVAL",
        23 => "ENFILE",
        24 => "EMFILE",
        EFBIG => "EFBIG",
        ENOSPC => "ENOSPC",
        EROFS => "EROFS",
        31 => "EMLINK",
        36 => "ENAMETOOLONG",
        37 => "ENOLCK",
        39 => "ENOTEMPTY",
        ELOOP => "ELOOP",
        EOPNOTSUPP => "EOPNOTSUPP",
        116 => "ESTALE",
        122 => "EDQUOT",
        _ => $"errno {errno}",
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FlockNative(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "posix_fallocate")]
    private static partial int PosixFallocate(int fd, long offset, long length);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxNative(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealpathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void FreeNative(nint pointer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuidNative();
}
