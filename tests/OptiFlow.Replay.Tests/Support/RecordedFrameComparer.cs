using System.Globalization;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;

namespace OptiFlow.Replay.Tests.Support;

/// <summary>
/// Reads two recording readers in lockstep and fails at the first difference: any field of a frame (timestamp, bytes,
/// line, file index, path, symbol hint, format-error flag), or a damage exception (by message) that one reader throws
/// where the other does not. Streams: holds one frame of each at a time, so it runs over the largest recordings.
/// </summary>
internal static class RecordedFrameComparer
{
    /// <summary>What both readers returned: frames, their bytes, damage exceptions met, frames with a symbol hint, with a
    /// format error, and longer than the chunk size given.</summary>
    public readonly record struct FrameSequence(long Frames, long Bytes, int Damages, long HintedFrames, long LineFormatErrors, long FramesOverChunk);

    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/> to the end of both.</summary>
    /// <param name="expected">The reference (the file reader).</param>
    /// <param name="actual">The reader under test.</param>
    /// <param name="chunkBytes">Frames longer than this are counted in <see cref="FrameSequence.FramesOverChunk"/>.</param>
    /// <returns>What was read.</returns>
    public static FrameSequence AssertSameSequence(IRecordingReader expected, IRecordingReader actual, int chunkBytes = InMemoryRecording.ChunkBytes)
    {
        long frames = 0;
        long bytes = 0;
        var damages = 0;
        long hinted = 0;
        long formatErrors = 0;
        long overChunk = 0;
        while (true)
        {
            var expectedMore = Read(expected, out var e, out var expectedDamage);
            var actualMore = Read(actual, out var a, out var actualDamage);
            if (expectedDamage is not null || actualDamage is not null)
            {
                if (expectedDamage?.Message != actualDamage?.Message)
                {
                    Assert.Fail($"after {frames:N0} frames: expected damage '{expectedDamage?.Message}', got '{actualDamage?.Message}'");
                }

                damages++;
                continue;
            }

            if (expectedMore != actualMore)
            {
                Assert.Fail($"after {frames:N0} frames: the expected reader {(expectedMore ? "goes on" : "ends")}, the other {(actualMore ? "goes on" : "ends")}");
            }

            if (!expectedMore)
            {
                return new FrameSequence(frames, bytes, damages, hinted, formatErrors, overChunk);
            }

            var difference = Difference(e, a);
            if (difference is not null)
            {
                Assert.Fail($"frame {frames:N0} ({e.Path}:{e.Line}): {difference}");
            }

            frames++;
            bytes += e.Frame.Length;
            hinted += e.SymbolHint >= 0 ? 1 : 0;
            formatErrors += e.LineFormatError ? 1 : 0;
            overChunk += e.Frame.Length > chunkBytes ? 1 : 0;
        }
    }

    private static bool Read(IRecordingReader reader, out RecordedFrame frame, out DamagedRecordingException? damage)
    {
        try
        {
            damage = null;
            return reader.TryRead(out frame);
        }
        catch (DamagedRecordingException e)
        {
            frame = default;
            damage = e;
            return true;
        }
    }

    private static string? Difference(in RecordedFrame e, in RecordedFrame a)
    {
        if (e.LocalTimestampNs != a.LocalTimestampNs)
        {
            return Differs("LocalTimestampNs", e.LocalTimestampNs, a.LocalTimestampNs);
        }

        if (!e.Frame.SequenceEqual(a.Frame))
        {
            return $"bytes differ ({e.Frame.Length} vs {a.Frame.Length} bytes)";
        }

        if (e.Line != a.Line)
        {
            return Differs("Line", e.Line, a.Line);
        }

        if (e.FileIndex != a.FileIndex)
        {
            return Differs("FileIndex", e.FileIndex, a.FileIndex);
        }

        if (!string.Equals(e.Path, a.Path, StringComparison.Ordinal))
        {
            return $"Path: expected {e.Path}, got {a.Path}";
        }

        if (e.SymbolHint != a.SymbolHint)
        {
            return Differs("SymbolHint", e.SymbolHint, a.SymbolHint);
        }

        return e.LineFormatError != a.LineFormatError ? Differs("LineFormatError", e.LineFormatError, a.LineFormatError) : null;
    }

    private static string Differs<T>(string field, T expected, T actual) =>
        string.Create(CultureInfo.InvariantCulture, $"{field}: expected {expected}, got {actual}");
}
