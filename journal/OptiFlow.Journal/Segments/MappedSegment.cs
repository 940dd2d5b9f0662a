using System.Globalization;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;
using OptiFlow.Journal.Native;

namespace OptiFlow.Journal.Segments;

/// <summary>
/// One segment file mapped into memory, with the raw pointer of its view held for the segment's lifetime.
/// </summary>
/// <remarks>
/// Opening and disposing allocate (file handle, mapping, view): cold path, once per segment. Access through
/// <see cref="Base"/> is allocation-free. Not thread-safe: owned by one writer or one reader.
/// </remarks>
internal sealed unsafe class MappedSegment : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly FileStream? _owner;
    private byte* _base;

    private MappedSegment(string path, long index, long basePosition, int size, MemoryMappedFile file, MemoryMappedViewAccessor view, FileStream? owner)
    {
        _owner = owner;
        Path = path;
        Index = index;
        BasePosition = basePosition;
        Size = size;
        _file = file;
        _view = view;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>0-based segment index.</summary>
    public long Index { get; }

    /// <summary>Journal position of byte 0.</summary>
    public long BasePosition { get; }

    /// <summary>Mapped length in bytes.</summary>
    public int Size { get; }

    /// <summary>Pointer to byte 0 of the mapping; null once disposed.</summary>
    public byte* Base => _base;

    /// <summary>The background pre-faulter of a segment mapped for writing with pre-faulting on; null otherwise.</summary>
    public SegmentPrefaulter? Prefaulter { get; private set; }

    /// <summary>Starts pre-faulting the whole mapping in the background (<see cref="SegmentPrefaulter"/>); writer only, once.</summary>
    public void StartPrefault() => Prefaulter ??= SegmentPrefaulter.Start(_base, Size);

    /// <summary>Attaches a prefaulter that the caller runs on its own thread (<see cref="SegmentPrefaulter.RunInline"/>, which it must call); preparer only, once, before the segment is handed over.</summary>
    /// <returns>The attached prefaulter, not yet run.</returns>
    public SegmentPrefaulter AttachInlinePrefaulter() => Prefaulter ??= SegmentPrefaulter.CreateInline(_base, Size);

    /// <summary>File name of the segment at <paramref name="basePosition"/>: 20-digit base position plus ".seg".</summary>
    public static string FileName(long basePosition) =>
        basePosition.ToString("D" + JournalDescriptor.FileNameDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
        + JournalDescriptor.FileExtension;

    /// <summary>Parses a segment file name; false when it is not 20 decimal digits plus ".seg".</summary>
    public static bool TryParseFileName(string fileName, out long basePosition)
    {
        basePosition = 0;
        var stem = fileName.AsSpan();
        if (!stem.EndsWith(JournalDescriptor.FileExtension, StringComparison.Ordinal))
        {
            return false;
        }

        stem = stem[..^JournalDescriptor.FileExtension.Length];
        if (stem.Length != JournalDescriptor.FileNameDigits)
        {
            return false;
        }

        foreach (var c in stem)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out basePosition);
    }

    /// <summary>
    /// Creates a new file of <paramref name="size"/> bytes, allocated on the device (zero-filled), and maps it read-write:
    /// <c>open(O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)</c>, then <c>posix_fallocate</c>.
    /// </summary>
    /// <remarks>
    /// Allocated, not sparse: a first write to a page of a sparse file makes the file system allocate a block inside the
    /// page fault, which measured at tens of µs per page on this VM (perf/ARCHIVE.md "Journal"); and a full disk then
    /// surfaces here, as an <c>ENOSPC</c> the writer reports, instead of as a SIGBUS on a store into the mapping. A file
    /// whose allocation failed is deleted. <c>O_EXCL</c> fails on an existing name, a symbolic link included, so a
    /// segment is never written through a link.
    /// </remarks>
    /// <exception cref="JournalIOException">The OS refused (the errno is in the message).</exception>
    public static MappedSegment Create(string path, long index, long basePosition, int size)
    {
        if (!Libc.IsAvailable)
        {
            return CreateManaged(path, index, basePosition, size);
        }

        var fd = Libc.Open(path, Libc.ReadWrite | Libc.Create | Libc.Exclusive | Libc.CloseOnExec | Libc.NoFollow, Libc.PrivateFileMode, out var errno);
        if (fd < 0)
        {
            throw new JournalIOException("create journal segment", path, errno);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var allocation = Libc.Allocate(fd, size);
        if (allocation != 0)
        {
            handle.Dispose();
            TryDelete(path);
            throw new JournalIOException(
                string.Create(CultureInfo.InvariantCulture, $"allocate {size} bytes for journal segment"), path, allocation);
        }

        try
        {
            return Map(handle, path, index, basePosition, size, size, MemoryMappedFileAccess.ReadWrite);
        }
        catch (JournalIOException)
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Maps an existing file of <paramref name="size"/> bytes read-write (a writer resuming after recovery); a symbolic link is refused.</summary>
    /// <exception cref="JournalIOException">The OS refused.</exception>
    public static MappedSegment OpenWrite(string path, long index, long basePosition, int size)
    {
        if (!Libc.IsAvailable)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw JournalIOException.From("open journal segment for writing", path, e);
            }

            return Map(stream.SafeFileHandle, path, index, basePosition, size, size, MemoryMappedFileAccess.ReadWrite, stream);
        }

        var fd = Libc.Open(path, Libc.ReadWrite | Libc.CloseOnExec | Libc.NoFollow, 0, out var errno);
        if (fd < 0)
        {
            throw new JournalIOException("open journal segment for writing", path, errno);
        }

        return Map(new SafeFileHandle(fd, ownsHandle: true), path, index, basePosition, size, size, MemoryMappedFileAccess.ReadWrite);
    }

    /// <summary>Maps an existing file of <paramref name="size"/> bytes read-only (<c>O_RDONLY</c>, <c>PROT_READ</c>: a
    /// read-only or immutable journal reads); the writer may still be appending to it.</summary>
    /// <exception cref="FileNotFoundException">The file is gone.</exception>
    /// <exception cref="JournalIOException">The OS refused.</exception>
    public static MappedSegment OpenRead(string path, long index, long basePosition, int size)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException && e is not FileNotFoundException))
        {
            throw JournalIOException.From("open journal segment for reading", path, e);
        }

        return Map(stream.SafeFileHandle, path, index, basePosition, size, 0, MemoryMappedFileAccess.Read, stream);
    }

    private static MappedSegment CreateManaged(string path, long index, long basePosition, int size)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read | FileShare.Delete,
            PreallocationSize = size,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw JournalIOException.From("create journal segment", path, e);
        }

        return Map(stream.SafeFileHandle, path, index, basePosition, size, size, MemoryMappedFileAccess.ReadWrite, stream);
    }

    /// <summary>Maps the open file <paramref name="handle"/>, which is owned from here on: closed on failure, or with the segment.</summary>
    /// <param name="handle">The open segment file.</param>
    /// <param name="path">Its path.</param>
    /// <param name="index">Segment index.</param>
    /// <param name="basePosition">Journal position of the segment's first byte.</param>
    /// <param name="size">Segment size in bytes: the length of the view.</param>
    /// <param name="capacity">Mapping capacity in bytes; 0 maps the file's current length.</param>
    /// <param name="access">Read-write for writers, read for readers.</param>
    /// <param name="owner">The stream that owns <paramref name="handle"/>, when it came from one (disposed instead of the handle).</param>
    /// <returns>The mapped segment.</returns>
    private static MappedSegment Map(SafeFileHandle handle, string path, long index, long basePosition, int size, long capacity, MemoryMappedFileAccess access, FileStream? owner = null)
    {
        try
        {
            var file = MemoryMappedFile.CreateFromFile(handle, null, capacity, access, HandleInheritability.None, leaveOpen: owner is not null);
            try
            {
                var view = file.CreateViewAccessor(0, size, access);
                return new MappedSegment(path, index, basePosition, size, file, view, owner);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        catch (Exception e)
        {
            if (owner is not null)
            {
                owner.Dispose();
            }
            else
            {
                handle.Dispose();
            }

            if (e is IOException or UnauthorizedAccessException)
            {
                throw JournalIOException.From("map journal segment", path, e);
            }

            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The segment was never written: a leftover is seen by the scanner as a half-created segment.
        }
    }

    /// <summary>Writes the mapped pages to the file (msync); returns when the OS has them on the device.</summary>
    /// <exception cref="JournalIOException">The OS reports a write error (<c>EIO</c>, <c>ENOSPC</c> on a thin device).</exception>
    public void Flush()
    {
        try
        {
            _view.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw JournalIOException.From("msync journal segment", Path, e);
        }
    }

    /// <summary>Releases the pointer and unmaps; the file keeps its full length.</summary>
    public void Dispose()
    {
        if (_base == null)
        {
            return;
        }

        Prefaulter?.Stop(); // before the unmap: it may be advising this range right now
        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        _owner?.Dispose();
    }
}
