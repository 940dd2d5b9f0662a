using System.Runtime.InteropServices;
using OptiFlow.Journal.Native;

namespace OptiFlow.Journal;

/// <summary>
/// The operating system refused a journal operation: a full disk (<c>ENOSPC</c>), a file-size limit (<c>EFBIG</c>), a
/// read-only or immutable directory (<c>EROFS</c>, <c>EACCES</c>, <c>EPERM</c>), a device error on msync (<c>EIO</c>), a
/// symbolic link where the journal refuses to follow one (<c>ELOOP</c>). The message is one line naming the operation,
/// the path and the OS error, e.g. <c>Cannot allocate 16777216 bytes for journal segment '/j/00000000000016777216.seg':
/// No space left on device (ENOSPC).</c>
/// </summary>
/// <remarks>
/// Thrown by <see cref="JournalWriter"/> (and recorded in <see cref="JournalWriter.Failure"/>; the writer appends
/// nothing more afterwards, and every record committed before it stays readable and verifiable), by
/// <see cref="JournalReader"/> when a segment cannot be opened, and by <see cref="JournalDirectories"/>. Immutable:
/// thread-safe. Refusals that are the caller's choice of directory (not empty, in use) are
/// <see cref="JournalDirectoryException"/> instead.
/// </remarks>
public sealed class JournalIOException : IOException
{
    /// <summary>Creates the exception without details.</summary>
    public JournalIOException()
    {
        Path = string.Empty;
        Operation = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public JournalIOException(string message)
        : base(message)
    {
        Path = string.Empty;
        Operation = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public JournalIOException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
        Operation = string.Empty;
    }

    /// <summary>Creates the exception for an errno returned by a system call.</summary>
    /// <param name="operation">What was attempted, as a verb phrase: <c>create journal segment</c>.</param>
    /// <param name="path">The file or directory.</param>
    /// <param name="errno">The errno (0 when unknown).</param>
    /// <param name="innerException">The managed exception that carried it, or null.</param>
    public JournalIOException(string operation, string path, int errno, Exception? innerException = null)
        : base(Format(operation, path, errno, innerException), innerException)
    {
        Operation = operation;
        Path = path;
        Errno = errno;
        HResult = errno > 0 ? errno : HResult;
    }

    /// <summary>What was attempted (<c>create journal segment</c>, <c>msync journal segment</c>, …).</summary>
    public string Operation { get; }

    /// <summary>The file or directory the operation was about.</summary>
    public string Path { get; }

    /// <summary>The OS error number (Linux errno); 0 when only the managed message is known.</summary>
    public int Errno { get; }

    /// <summary>The conventional name of <see cref="Errno"/> (<c>ENOSPC</c>), or null when unknown.</summary>
    public string? ErrnoName => Errno > 0 ? Libc.ErrnoName(Errno) : null;

    /// <summary>Wraps a managed I/O exception (from <see cref="FileStream"/>, <see cref="Directory"/>, a memory mapping) with the operation and path, keeping the errno when the runtime recorded one.</summary>
    /// <param name="operation">What was attempted.</param>
    /// <param name="path">The file or directory.</param>
    /// <param name="exception">The exception: an <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</param>
    /// <returns>The exception to throw (<paramref name="exception"/> itself when it is a <see cref="JournalIOException"/> already).</returns>
    public static JournalIOException From(string operation, string path, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception as JournalIOException ?? new JournalIOException(operation, path, ErrnoOf(exception), exception);
    }

    /// <summary>The errno the runtime recorded in <paramref name="exception"/> or its inner exceptions (on Unix the runtime
    /// stores the raw errno in <see cref="Exception.HResult"/>), else one implied by its type; 0 when unknown.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The errno, or 0.</returns>
    public static int ErrnoOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is JournalIOException { Errno: > 0 } journal)
            {
                return journal.Errno;
            }

            if (e.HResult is > 0 and < 4096)
            {
                return e.HResult;
            }
        }

        return exception switch
        {
            UnauthorizedAccessException => Libc.EACCES,
            DirectoryNotFoundException or FileNotFoundException => Libc.ENOENT,
            _ => 0,
        };
    }

    private static string Format(string operation, string path, int errno, Exception? inner)
    {
        var reason = errno > 0
            ? $"{Marshal.GetPInvokeErrorMessage(errno)} ({Libc.ErrnoName(errno)})"
            : inner?.Message.ReplaceLineEndings(" ") ?? "unknown error";
        var text = $"Cannot {operation} '{path}': {reason}";
        return text.EndsWith('.') ? text : text + ".";
    }
}
