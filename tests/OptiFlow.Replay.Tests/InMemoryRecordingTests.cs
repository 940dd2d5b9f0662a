using System.Globalization;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;
using static OptiFlow.Replay.Tests.HostileInput.HostileRecording;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// <see cref="InMemoryRecording"/>: a recording loaded once reads back exactly what its file reader returns (frames,
/// bytes, lines, file indices, paths, snapshot hints, timestamps, format-error flags, and damaged gzip data at its
/// place), allocates nothing per frame, and gives independent readers, on one thread or several.
/// </summary>
[TestFixture]
public sealed class InMemoryRecordingTests
{
    private static IEnumerable<RecordedSession> Sessions => RecordedSession.All;

    public static IEnumerable<TestCaseData> Damages()
    {
        yield return new TestCaseData((Func<byte[], byte[]>)(b => b[..(b.Length / 2)]), (Func<byte[], byte[]>)(b => b), 1)
            .SetName("ShouldThrowTheSameDamageAtTheSamePlace_WhenTheFirstGzipIsCutInsideItsData");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Flip(b, b.Length / 2)), (Func<byte[], byte[]>)(b => b), 1)
            .SetName("ShouldThrowTheSameDamageAtTheSamePlace_WhenAGzipByteIsFlipped");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => b), (Func<byte[], byte[]>)(b => b[..^3]), 1)
            .SetName("ShouldThrowTheSameDamageAfterTheLastFrame_WhenTheLastGzipLosesItsTrailer");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => b[..(b.Length / 3)]), (Func<byte[], byte[]>)(b => b[..(b.Length / 2)]), 2)
            .SetName("ShouldThrowBothDamagesAtTheirPlaces_WhenBothGzipsAreCut");
    }

    [TestCaseSource(nameof(Sessions))]
    [Category("Data")]
    public void ShouldReturnExactlyTheFileReadersFrames_WhenLoadedFromARecordedSession(RecordedSession session)
    {
        // Arrange
        var input = RecordingInput.Open(session.RequirePaths(), RecordingFormat.Auto, session.Market);

        // Act
        var (memory, read) = LoadAndCompare(input);

        // Assert
        var onDisk = input.Files.Sum(f => new FileInfo(f).Length);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{session}: {memory.Frames:N0} frames, {memory.Bytes:N0} frame bytes in memory (+ {memory.Frames * 40:N0} bytes of metadata); {onDisk:N0} bytes on disk"));
        Assert.Multiple(() =>
        {
            Assert.That(read.Frames, Is.Positive);
            Assert.That(memory.Frames, Is.EqualTo(read.Frames));
            Assert.That(memory.Bytes, Is.EqualTo(read.Bytes));
            Assert.That(read.Damages, Is.Zero);
            Assert.That(memory.DamagedInputs, Is.Empty);
            if (session.DroppedBeforeSnapshot is not null)
            {
                Assert.That(read.HintedFrames, Is.Positive, "the bare snapshots' symbol hints are kept");
            }
        });
    }

    [TestCase(new[] { "hftbacktest/examples/usdm/btcusdt_20240808", "hftbacktest/examples/usdm/ethusdt_20240808" }, InMemoryRecording.ChunkBytes)]
    [TestCase(new[] { "hftbacktest/examples/usdm/btcusdt_20240808", "hftbacktest/examples/usdm/ethusdt_20240808" }, 4096)]
    [TestCase(new[] { "hftbacktest/examples/cm/btcusd_perp_20240808.gz", "hftbacktest/examples/cm/btcusd_perp_20240809.gz" }, 4096)]
    [Category("Data")]
    public void ShouldReturnExactlyTheFileReadersFrames_WhenFramesSpreadOverManyChunks(string[] relativePaths, int chunkBytes)
    {
        // Arrange: small chunks make thousands of them, and snapshots longer than a chunk get arrays of their own.
        var input = RecordingInput.Open([.. relativePaths.Select(RecordingData.Require)], RecordingFormat.Auto, Market.Futures);

        // Act
        var (memory, read) = LoadAndCompare(input, chunkBytes);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(memory.Frames, Is.EqualTo(read.Frames));
            Assert.That(memory.Bytes, Is.EqualTo(read.Bytes));
            Assert.That(read.HintedFrames, Is.Positive, "the snapshots' symbol hints");
            if (chunkBytes < InMemoryRecording.ChunkBytes)
            {
                Assert.That(read.FramesOverChunk, Is.Positive, "frames longer than a chunk (their own arrays)");
            }
        });
    }

    [TestCaseSource(nameof(Damages))]
    public void ShouldThrowTheSameDamageAtTheSamePlace(Func<byte[], byte[]> editBtc, Func<byte[], byte[]> editEth, int damages)
    {
        // Arrange: a two-file gzip session [btc, eth] of the shipped recording, damaged.
        using var temp = new TempDirectory("inmem-damage");
        var btc = temp.File("btc.gz");
        var eth = temp.File("eth.gz");
        File.WriteAllBytes(btc, editBtc(WriteGzip(btc, Btc)));
        File.WriteAllBytes(eth, editEth(WriteGzip(eth, Eth)));
        var input = RecordingInput.Open([btc, eth], RecordingFormat.Hftbacktest, Market.Futures);

        // Act
        var (memory, read) = LoadAndCompare(input);

        var thrown = new List<DamagedRecordingException>();
        using (var again = memory.OpenReader())
        {
            while (true)
            {
                try
                {
                    if (!again.TryRead(out _))
                    {
                        break;
                    }
                }
                catch (DamagedRecordingException e)
                {
                    thrown.Add(e);
                }
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(read.Damages, Is.EqualTo(damages), "damages met at the same places, with the same messages");
            Assert.That(memory.DamagedInputs, Has.Count.EqualTo(damages));
            Assert.That(thrown, Is.EqualTo(memory.DamagedInputs).Using<DamagedRecordingException>(ReferenceEquals), "the kept exceptions themselves");
            Assert.That(memory.Frames, Is.EqualTo(read.Frames));
            Assert.That(read.Frames, Is.Positive);
        });
    }

    [Test]
    public void ShouldKeepFormatErrorsAndLineNumbers_WhenLinesAreMalformedOrEmpty()
    {
        // Arrange: lines without a timestamp, a bare number, and empty lines (skipped, but counted in line numbers).
        using var temp = new TempDirectory("inmem-lines");
        var lines = Btc;
        lines.Insert(300, "12345");
        lines.Insert(200, string.Empty);
        lines.Insert(100, "not a frame");
        lines.Insert(50, string.Empty);
        var path = temp.File("edited");
        RecordingLines.Write(path, lines);
        var input = RecordingInput.Open([path], RecordingFormat.Hftbacktest, Market.Futures);

        // Act
        RecordedFrameComparer.FrameSequence read;
        using (var expected = input.OpenReader())
        using (var actual = input.LoadIntoMemory().OpenReader())
        {
            read = RecordedFrameComparer.AssertSameSequence(expected, actual);
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(read.LineFormatErrors, Is.EqualTo(2), "'not a frame' and '12345'");
            Assert.That(read.Frames, Is.EqualTo(Btc.Count + 2), "every line but the two empty ones");
        });
    }

    [Test]
    [Category("Data")]
    public void ShouldNotAllocatePerFrame_WhenReadingTheCopy()
    {
        // Arrange: a real recording in memory; one whole pass first (JIT), then a fresh reader past its first frames.
        var input = RecordingInput.Open([RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808")], RecordingFormat.Auto, Market.Futures).LoadIntoMemory();
        long checksum = 0;
        using (var warm = input.OpenReader())
        {
            while (warm.TryRead(out var frame))
            {
                checksum += frame.Frame.Length + frame.Line;
            }
        }

        using var reader = input.OpenReader();
        const int FirstFrames = 8;
        for (var i = 0; i < FirstFrames; i++)
        {
            Assert.That(reader.TryRead(out _), Is.True);
        }

        // Act
        long frames = 0;
        long again = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (reader.TryRead(out var frame))
        {
            frames++;
            again += frame.Frame.Length + frame.Line + frame.LocalTimestampNs + frame.SymbolHint + frame.FileIndex + frame.Path.Length;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, "bytes allocated over the frames after the first few");
            Assert.That(frames, Is.EqualTo(input.Memory!.Frames - FirstFrames));
            Assert.That(frames, Is.GreaterThan(90_000), "93,954 frames");
            Assert.That(checksum, Is.Positive);
            Assert.That(again, Is.Not.Zero);
        });
    }

    [Test]
    public void ShouldReadIndependently_WhenTwoReadersShareOneCopy()
    {
        // Arrange: the file reader's frames as the reference; two readers of one copy, the first 1,000 frames ahead.
        var input = RecordingInput.Open([OptiFlowCommand.DemoRecording], RecordingFormat.Hftbacktest, Market.Futures);
        var expected = Fingerprints(input.OpenReader());
        var memory = input.LoadIntoMemory().Memory!;
        var first = memory.OpenReader();
        using var second = memory.OpenReader();
        var firstRead = 0;
        for (; firstRead < 1000; firstRead++)
        {
            Assert.That(first.TryRead(out var frame) && Fingerprint(frame) == expected[firstRead], Is.True, $"first reader, frame {firstRead}");
        }

        // Act: both read in turn; the first is disposed halfway, the second reads on to the end.
        var secondRead = 0;
        var mismatches = new List<string>();
        while (second.TryRead(out var frame))
        {
            if (Fingerprint(frame) != expected[secondRead])
            {
                mismatches.Add($"second reader, frame {secondRead}");
            }

            secondRead++;
            if (firstRead < expected.Count / 2)
            {
                if (!first.TryRead(out var ahead) || Fingerprint(ahead) != expected[firstRead])
                {
                    mismatches.Add($"first reader, frame {firstRead}");
                }

                firstRead++;
            }
            else if (firstRead == expected.Count / 2)
            {
                first.Dispose();
                firstRead++;
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(mismatches, Is.Empty);
            Assert.That(secondRead, Is.EqualTo(expected.Count), "the second reader read every frame, whatever the first did");
            Assert.That(secondRead, Is.EqualTo(memory.Frames));
            Assert.That(() => first.TryRead(out _), Throws.TypeOf<ObjectDisposedException>(), "the disposed reader");
        });
    }

    [Test]
    public void ShouldGiveEveryThreadTheWholeRecording_WhenReadersRunAtOnce()
    {
        // Arrange
        var input = RecordingInput.Open([OptiFlowCommand.DemoRecording], RecordingFormat.Hftbacktest, Market.Futures);
        var expected = Checksum(input.OpenReader());
        var memory = input.LoadIntoMemory().Memory!;
        const int Threads = 4;
        var results = new (long Frames, ulong Checksum)[Threads];
        var errors = new Exception?[Threads];
        using var start = new Barrier(Threads);

        // Act: the readers are opened and read at the same time.
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                results[i] = Checksum(memory.OpenReader());
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        var finished = threads.All(t => t.Join(TimeSpan.FromSeconds(60)));

        // Assert
        Assert.That(finished, Is.True, "the readers did not finish within 60 s");
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.All.Null);
            Assert.That(results, Has.All.EqualTo(expected));
            Assert.That(expected.Frames, Is.EqualTo(memory.Frames));
        });
    }

    private static (long Frames, ulong Checksum) Checksum(IRecordingReader reader)
    {
        using (reader)
        {
            long frames = 0;
            var checksum = 14695981039346656037UL;
            while (reader.TryRead(out var frame))
            {
                frames++;
                checksum = (checksum ^ Fingerprint(frame)) * 1099511628211UL;
            }

            return (frames, checksum);
        }
    }

    private static List<ulong> Fingerprints(IRecordingReader reader)
    {
        using (reader)
        {
            var fingerprints = new List<ulong>();
            while (reader.TryRead(out var frame))
            {
                fingerprints.Add(Fingerprint(frame));
            }

            return fingerprints;
        }
    }

    /// <summary>FNV-1a over the frame's bytes and every field.</summary>
    private static ulong Fingerprint(in RecordedFrame frame)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in frame.Frame)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        foreach (var value in (ReadOnlySpan<long>)[frame.LocalTimestampNs, frame.Line, frame.FileIndex, frame.SymbolHint, frame.LineFormatError ? 1 : 0, frame.Path.GetHashCode(StringComparison.Ordinal)])
        {
            hash = (hash ^ (ulong)value) * 1099511628211UL;
        }

        return hash;
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0xFF;
        return copy;
    }

    /// <summary>Loads the input's frames into memory, then reads the files and the copy side by side (every field of every frame compared).</summary>
    private static (InMemoryRecording Memory, RecordedFrameComparer.FrameSequence Read) LoadAndCompare(RecordingInput input, int chunkBytes = InMemoryRecording.ChunkBytes)
    {
        InMemoryRecording memory;
        using (var files = input.OpenReader())
        {
            memory = InMemoryRecording.Load(files, chunkBytes);
        }

        using var expected = input.OpenReader();
        using var actual = memory.OpenReader();
        return (memory, RecordedFrameComparer.AssertSameSequence(expected, actual, chunkBytes));
    }
}
