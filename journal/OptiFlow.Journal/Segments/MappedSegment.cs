using System.Globalization;
using System.IO.MemoryMappedFiles;

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
    private byte* _base;

    private MappedSegment(string path, long index, long basePosition, int size, MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
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

    /// <summary>Creates a new zero-filled file of <paramref name="size"/> bytes (fails if it exists) and maps it read-write.</summary>
    public static MappedSegment Create(string path, long index, long basePosition, int size)
    {
        // Preallocated (fallocate), not sparse: a first write to a page of a sparse file makes the file system allocate
        // a block inside the page fault, which measured at tens of µs per page on this VM (perf/README.md "Journal").
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read | FileShare.Delete,
            PreallocationSize = size,
        });
        return Map(stream, path, index, basePosition, size, size, MemoryMappedFileAccess.ReadWrite);
    }

    /// <summary>Maps an existing file of <paramref name="size"/> bytes read-write (a writer resuming after recovery).</summary>
    public static MappedSegment OpenWrite(string path, long index, long basePosition, int size)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        return Map(stream, path, index, basePosition, size, size, MemoryMappedFileAccess.ReadWrite);
    }

    /// <summary>Maps an existing file of <paramref name="size"/> bytes read-only; the writer may still be appending to it.</summary>
    public static MappedSegment OpenRead(string path, long index, long basePosition, int size)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Map(stream, path, index, basePosition, size, 0, MemoryMappedFileAccess.Read);
    }

    /// <summary>Maps <paramref name="stream"/>, which is owned from here on: disposed on failure, or with the segment.</summary>
    /// <param name="stream">The open segment file.</param>
    /// <param name="path">Its path.</param>
    /// <param name="index">Segment index.</param>
    /// <param name="basePosition">Journal position of the segment's first byte.</param>
    /// <param name="size">Segment size in bytes: the length of the view.</param>
    /// <param name="capacity">Mapping capacity in bytes; 0 maps the file's current length.</param>
    /// <param name="access">Read-write for writers, read for readers.</param>
    /// <returns>The mapped segment.</returns>
    private static MappedSegment Map(FileStream stream, string path, long index, long basePosition, int size, long capacity, MemoryMappedFileAccess access)
    {
        try
        {
            var file = MemoryMappedFile.CreateFromFile(stream, null, capacity, access, HandleInheritability.None, leaveOpen: false);
            try
            {
                var view = file.CreateViewAccessor(0, size, access);
                return new MappedSegment(path, index, basePosition, size, file, view);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Writes the mapped pages to the file (msync); returns when the OS has them on the device.</summary>
    public void Flush() => _view.Flush();

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
    }
}
