using System.Runtime.InteropServices;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// A recorded session read once into memory and then read back by any number of independent readers, without touching
/// its files again ("load once, run many": parameter sweeps, whole-pipeline measurements on a recording in memory).
/// </summary>
/// <remarks>
/// <para><b>What is kept.</b> Every frame an <see cref="IRecordingReader"/> returned, in order, with everything
/// <see cref="RecordedFrame"/> carries: <see cref="RecordedFrame.LocalTimestampNs"/>, the frame bytes,
/// <see cref="RecordedFrame.Line"/>, <see cref="RecordedFrame.FileIndex"/>, <see cref="RecordedFrame.Path"/> (each
/// distinct path stored once), <see cref="RecordedFrame.SymbolHint"/> and <see cref="RecordedFrame.LineFormatError"/>;
/// and every <see cref="DamagedRecordingException"/> the reader threw, at the place it threw it. A reader from
/// <see cref="OpenReader"/> returns exactly that sequence: the same frames, and the same exception instance thrown
/// between the same two frames, after which reading goes on, as the file readers do. So a session over the copy
/// publishes what a session over the files publishes, damage events included. The symbol hints were resolved against
/// the symbol table of the reader that was loaded; use the copy with that table.</para>
/// <para><b>Layout.</b> Frame bytes are copied back to back into chunks of at most <see cref="ChunkBytes"/>
/// (64 MiB; the first chunks are smaller, 1 MiB doubling, so a small recording does not take 64 MiB, and the last is
/// trimmed to its use). A frame never spans two chunks; a frame longer than the chunk size gets an array of its own. So
/// recordings beyond 2 GiB load, limited only by memory. The per-frame metadata is one 40-byte struct per frame
/// (timestamp, line, chunk, offset, length, file index, symbol hint, path id and the format-error flag), held in blocks
/// of 65,536 frames (2.5 MiB): no object per frame, and no array that has to double and copy as the recording grows.
/// Memory: about <see cref="Bytes"/> + 40 × <see cref="Frames"/> bytes, plus up to a chunk's tail per chunk (where a
/// frame did not fit).</para>
/// <para><b>Thread-safety.</b> Immutable once <see cref="Load(IRecordingReader, int)"/> returns: any number of threads may call
/// <see cref="OpenReader"/> and read their own readers at once (they share only the read-only arrays). Each reader is
/// for one thread, as every <see cref="IRecordingReader"/> is. The one shared mutable thing is a kept
/// <see cref="DamagedRecordingException"/>: each throw of it rewrites its stack trace, so readers that meet the same
/// damage at the same moment on different threads may see each other's trace (its message, path, code and line never
/// change).</para>
/// <para><b>Allocation.</b> <see cref="Load(IRecordingReader, int)"/> allocates the copy (cold). <see cref="OpenReader"/>
/// allocates one small reader. Its <see cref="IRecordingReader.TryRead"/> allocates nothing: a frame is a span over a
/// chunk, its path a kept string. Rethrowing a kept damage exception allocates its stack trace (once per damaged file).</para>
/// </remarks>
/// <example>
/// <code>
/// InMemoryRecording recording;
/// using (var files = RecordingReaders.Open(format, paths, symbols))
/// {
///     recording = InMemoryRecording.Load(files);          // reads the files once
/// }
///
/// foreach (var parameters in sweep)                         // then as often as needed, on any thread
/// {
///     using var reader = recording.OpenReader();
///     while (reader.TryRead(out var frame))
///     {
///         var outcome = decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint);
///     }
/// }
/// </code>
/// </example>
public sealed class InMemoryRecording
{
    /// <summary>The largest chunk of frame bytes: 64 MiB. A longer frame gets an array of its own.</summary>
    public const int ChunkBytes = 64 << 20;

    /// <summary>The first chunk's size (1 MiB, or the maximum when smaller); each next chunk doubles, up to the maximum.</summary>
    private const int FirstChunkBytes = 1 << 20;

    /// <summary>Frames per metadata block: 2^16 (65,536 × 40 bytes = 2.5 MiB a block).</summary>
    private const int BlockShift = 16;
    private const int BlockFrames = 1 << BlockShift;
    private const int BlockMask = BlockFrames - 1;

    /// <summary><see cref="FrameEntry.PathAndFlags"/>: the top bit is <see cref="RecordedFrame.LineFormatError"/>, the rest the path id.</summary>
    private const int LineFormatErrorFlag = int.MinValue;
    private const int PathIdMask = int.MaxValue;

    private readonly byte[][] _chunks;
    private readonly FrameEntry[][] _blocks;
    private readonly string[] _paths;
    private readonly Damage[] _damages;

    private InMemoryRecording(byte[][] chunks, FrameEntry[][] blocks, string[] paths, Damage[] damages, long frames, long bytes)
    {
        _chunks = chunks;
        _blocks = blocks;
        _paths = paths;
        _damages = damages;
        Frames = frames;
        Bytes = bytes;
        var damaged = new DamagedRecordingException[damages.Length];
        for (var i = 0; i < damages.Length; i++)
        {
            damaged[i] = damages[i].Exception;
        }

        DamagedInputs = damaged;
    }

    /// <summary>Frames kept (every frame the loaded reader returned; damage exceptions are not frames).</summary>
    public long Frames { get; }

    /// <summary>Total frame bytes kept (the frames' own bytes: no timestamps, no line ends), in bytes.</summary>
    public long Bytes { get; }

    /// <summary>The damage exceptions the loaded reader threw, in order; every reader of the copy throws them at the same places. Empty for an undamaged recording.</summary>
    public IReadOnlyList<DamagedRecordingException> DamagedInputs { get; }

    /// <summary>
    /// Reads every frame of <paramref name="reader"/> into memory (see the class remarks for what is kept and how).
    /// </summary>
    /// <param name="reader">A reader positioned at the start of a session (e.g. from <see cref="RecordingReaders.Open"/>);
    /// read to its end here and left open: the caller disposes it.</param>
    /// <param name="chunkBytes">The largest chunk of frame bytes; <see cref="ChunkBytes"/> unless a test wants many chunks.</param>
    /// <returns>The copy; immutable.</returns>
    /// <remarks>
    /// Cold path, on the calling thread: allocates about the frame bytes plus 40 bytes a frame (class remarks). A
    /// <see cref="DamagedRecordingException"/> from the reader is kept at its place and reading goes on (the reader
    /// continues with the session's next file), as a session over the files does; it is not thrown here.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkBytes"/> is below 1.</exception>
    /// <exception cref="IOException">The reader fails other than by damaged gzip data (the file cannot be read).</exception>
    /// <exception cref="InvalidDataException">The reader refuses its data (as it would in a session).</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    /// <exception cref="OutOfMemoryException">The recording does not fit in memory.</exception>
    public static InMemoryRecording Load(IRecordingReader reader, int chunkBytes = ChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        var loader = new Loader(chunkBytes);
        while (true)
        {
            RecordedFrame frame;
            try
            {
                if (!reader.TryRead(out frame))
                {
                    break;
                }
            }
            catch (DamagedRecordingException damage)
            {
                loader.AddDamage(damage); // the rest of that file is lost; reading again goes on with the next file
                continue;
            }

            loader.Add(frame);
        }

        return loader.Finish();
    }

    /// <summary>Opens a new reader over the frames, at the first frame.</summary>
    /// <returns>The reader; independent of every other reader of this copy. Disposing it releases nothing shared.</returns>
    /// <remarks>
    /// Thread-safe: any number of threads may open readers at once. The reader itself is for one thread. Allocates the
    /// reader (a few dozen bytes); its <see cref="IRecordingReader.TryRead"/> allocates nothing per frame, returns a
    /// <see cref="RecordedFrame"/> whose bytes stay valid as long as this copy lives (longer than the interface
    /// promises), throws each kept <see cref="DamagedRecordingException"/> at its place (reading again goes on after
    /// it), and throws <see cref="ObjectDisposedException"/> after dispose.
    /// </remarks>
    public IRecordingReader OpenReader() => new Reader(this);

    /// <summary>One frame's metadata: 40 bytes, no references (the GC never scans a block).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct FrameEntry
    {
        public long LocalTimestampNs;  // offset 0
        public long Line;              // offset 8
        public int Chunk;              // offset 16
        public int Offset;             // offset 20
        public int Length;             // offset 24
        public int FileIndex;          // offset 28
        public int SymbolHint;         // offset 32
        public int PathAndFlags;       // offset 36: path id | LineFormatErrorFlag
    }

    /// <summary>A kept damage exception and the number of frames read before it was thrown.</summary>
    private readonly record struct Damage(long Position, DamagedRecordingException Exception);

    /// <summary>Builds the copy while it is read (one thread).</summary>
    private sealed class Loader
    {
        private readonly int _maxChunkBytes;
        private readonly List<byte[]> _chunks = [];
        private readonly List<FrameEntry[]> _blocks = [];
        private readonly List<string> _paths = [];
        private readonly List<Damage> _damages = [];
        private int _fillChunk = -1;   // the chunk frames are appended to (oversized frames' own arrays sit between)
        private int _fillOffset;
        private int _nextChunkBytes;
        private string? _lastPath;
        private int _lastPathId = -1;
        private long _frames;
        private long _bytes;

        public Loader(int maxChunkBytes)
        {
            _maxChunkBytes = maxChunkBytes;
            _nextChunkBytes = Math.Min(FirstChunkBytes, maxChunkBytes);
        }

        public void AddDamage(DamagedRecordingException damage) => _damages.Add(new Damage(_frames, damage));

        public void Add(in RecordedFrame frame)
        {
            var bytes = frame.Frame;
            var (chunk, offset) = Place(bytes.Length);
            bytes.CopyTo(_chunks[chunk].AsSpan(offset));
            var block = (int)(_frames >> BlockShift);
            if (block == _blocks.Count)
            {
                _blocks.Add(new FrameEntry[BlockFrames]);
            }

            ref var entry = ref _blocks[block][(int)(_frames & BlockMask)];
            entry.LocalTimestampNs = frame.LocalTimestampNs;
            entry.Line = frame.Line;
            entry.Chunk = chunk;
            entry.Offset = offset;
            entry.Length = bytes.Length;
            entry.FileIndex = frame.FileIndex;
            entry.SymbolHint = frame.SymbolHint;
            entry.PathAndFlags = PathId(frame.Path) | (frame.LineFormatError ? LineFormatErrorFlag : 0);
            _frames++;
            _bytes += bytes.Length;
        }

        public InMemoryRecording Finish()
        {
            // The fill chunk is trimmed to its use (one copy), so a small recording does not keep a mostly empty chunk.
            if (_fillChunk >= 0 && _fillOffset < _chunks[_fillChunk].Length)
            {
                _chunks[_fillChunk] = _chunks[_fillChunk].AsSpan(0, _fillOffset).ToArray();
            }

            // The last metadata block likewise.
            var used = (int)(_frames & BlockMask);
            if (used != 0)
            {
                _blocks[^1] = _blocks[^1].AsSpan(0, used).ToArray();
            }

            return new InMemoryRecording([.. _chunks], [.. _blocks], [.. _paths], [.. _damages], _frames, _bytes);
        }

        /// <summary>Where a frame of <paramref name="length"/> bytes goes: the fill chunk, a new one, or its own array.</summary>
        private (int Chunk, int Offset) Place(int length)
        {
            if (length > _maxChunkBytes)
            {
                _chunks.Add(GC.AllocateUninitializedArray<byte>(length));
                return (_chunks.Count - 1, 0);
            }

            if (_fillChunk < 0 || _chunks[_fillChunk].Length - _fillOffset < length)
            {
                // The old fill chunk keeps its unused tail (at most a frame's length); it is not worth a copy.
                var size = Math.Max(_nextChunkBytes, length);
                _nextChunkBytes = (int)Math.Min((long)_nextChunkBytes * 2, _maxChunkBytes);
                _chunks.Add(GC.AllocateUninitializedArray<byte>(size));
                _fillChunk = _chunks.Count - 1;
                _fillOffset = 0;
            }

            var offset = _fillOffset;
            _fillOffset += length;
            return (_fillChunk, offset);
        }

        private int PathId(string path)
        {
            if (!ReferenceEquals(path, _lastPath))
            {
                var id = _paths.IndexOf(path); // a handful of files: a linear search when the file changes
                if (id < 0)
                {
                    id = _paths.Count;
                    _paths.Add(path);
                }

                _lastPath = path;
                _lastPathId = id;
            }

            return _lastPathId;
        }
    }

    /// <summary>A cursor over the copy (one thread); allocation-free per frame.</summary>
    private sealed class Reader(InMemoryRecording recording) : IRecordingReader
    {
        private readonly byte[][] _chunks = recording._chunks;
        private readonly FrameEntry[][] _blocks = recording._blocks;
        private readonly string[] _paths = recording._paths;
        private readonly Damage[] _damages = recording._damages;
        private readonly long _frames = recording.Frames;
        private long _position;
        private int _nextDamage;
        private bool _disposed;

        public bool TryRead(out RecordedFrame frame)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var position = _position;
            if (_nextDamage < _damages.Length && _damages[_nextDamage].Position == position)
            {
                // Thrown where the loaded reader threw it; the next call goes on with the frame after it.
                throw _damages[_nextDamage++].Exception;
            }

            if (position >= _frames)
            {
                frame = default;
                return false;
            }

            ref readonly var entry = ref _blocks[(int)(position >> BlockShift)][(int)(position & BlockMask)];
            frame = new RecordedFrame(
                entry.LocalTimestampNs,
                new ReadOnlySpan<byte>(_chunks[entry.Chunk], entry.Offset, entry.Length),
                entry.Line,
                entry.FileIndex,
                _paths[entry.PathAndFlags & PathIdMask],
                entry.SymbolHint,
                (entry.PathAndFlags & LineFormatErrorFlag) != 0);
            _position = position + 1;
            return true;
        }

        public void Dispose() => _disposed = true;
    }
}
