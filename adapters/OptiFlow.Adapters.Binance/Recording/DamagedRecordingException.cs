using System.Globalization;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// A recording file's compressed data is damaged (<see cref="DecodeErrorCode.CorruptInput"/>: a flipped byte, a bad
/// checksum) or cut (<see cref="DecodeErrorCode.TruncatedInput"/>: the gzip stream ends without its trailer). The
/// message is one line naming the file, the last complete line read, and the compressed byte offset.
/// </summary>
/// <remarks>
/// Thrown by the recording readers (through their line source) at the first read that meets the damage; every complete
/// line before it was returned. The partial line at the damage is discarded, never returned as a frame. The rest of
/// that file is lost; reading again goes on with the session's next file (one exception per damaged file), so a caller
/// decides whether a damaged file ends the session or only itself. An <see cref="IOException"/> (the reading failed; the decompressor's
/// <see cref="InvalidDataException"/> is its inner exception); the host publishes it as one decode-error event and stops
/// there (see <c>EngineSession</c>), and the command line maps it to exit code 1.
/// </remarks>
public sealed class DamagedRecordingException : IOException
{
    /// <summary>Creates the exception without details.</summary>
    public DamagedRecordingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public DamagedRecordingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DamagedRecordingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for damage at a known place; the message is composed from the details.</summary>
    /// <param name="path">The recording file.</param>
    /// <param name="code"><see cref="DecodeErrorCode.CorruptInput"/> or <see cref="DecodeErrorCode.TruncatedInput"/>.</param>
    /// <param name="linesRead">Complete lines read before the damage (empty lines included).</param>
    /// <param name="compressedOffset">Bytes of the file consumed when the damage was met (the decompressor reads ahead
    /// in blocks, so the damage lies before this offset, within a few KiB); the file's length for a truncation.</param>
    /// <param name="detail">The decompressor's own words, or how the damage was found; null for nothing to add.</param>
    /// <param name="innerException">The decompressor's exception, or null.</param>
    public DamagedRecordingException(string path, DecodeErrorCode code, long linesRead, long compressedOffset, string? detail, Exception? innerException)
        : base(Describe(path, code, linesRead, compressedOffset, detail), innerException)
    {
        Path = path;
        Code = code;
        LinesRead = linesRead;
        CompressedOffset = compressedOffset;
    }

    /// <summary>The recording file, or null when unknown.</summary>
    public string? Path { get; }

    /// <summary><see cref="DecodeErrorCode.CorruptInput"/> or <see cref="DecodeErrorCode.TruncatedInput"/>; <see cref="DecodeErrorCode.None"/> when unknown.</summary>
    public DecodeErrorCode Code { get; }

    /// <summary>Complete lines of the file read before the damage.</summary>
    public long LinesRead { get; }

    /// <summary>The first line that could not be read whole (<see cref="LinesRead"/> + 1): where the damage is reported.</summary>
    public long Line => LinesRead + 1;

    /// <summary>Compressed bytes consumed when the damage was met; -1 when unknown.</summary>
    public long CompressedOffset { get; } = -1;

    private static string Describe(string path, DecodeErrorCode code, long linesRead, long offset, string? detail)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"line {linesRead + 1}, after {linesRead:N0} complete lines, compressed byte {offset:N0}");
        return code == DecodeErrorCode.TruncatedInput
            ? $"{path}: gzip stream truncated (the file ends inside the compressed data, without its trailer{Detail(detail)}) at {where}; the lines before it were read, the rest of the file is lost"
            : $"{path}: gzip data damaged{Detail(detail)}, found at {where}; the lines before it were read (gzip checks its checksum only at the end of a member, so they may hold damaged data), the rest of the file is lost";

        static string Detail(string? detail) => string.IsNullOrEmpty(detail) ? string.Empty : $": {detail.TrimEnd('.')}";
    }
}
