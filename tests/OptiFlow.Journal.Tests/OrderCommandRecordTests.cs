using System.Buffers.Binary;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Orders;
using OptiFlow.Journal.Outbound;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>Outbound <see cref="OrderCommand"/> records: layout, round trip, scan, corruption, copy and the outbound comparer.</summary>
public class OrderCommandRecordTests : JournalTestBase
{
    private const int Frame = RecordDescriptor.OrderCommandFrameLength;

    [Test]
    public void ShouldBeAHeaderPlusOneCacheLine_WhenFramed()
    {
        // Act / Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RecordDescriptor.OrderCommandFrameLength, Is.EqualTo(96));
            Assert.That(RecordDescriptor.OrderCommandFrameLength % RecordDescriptor.Alignment, Is.Zero);
            Assert.That((ushort)JournalRecordType.OrderCommand, Is.EqualTo(7));
        }
    }

    [Test]
    public void ShouldRoundTripEveryByte_WhenCommandsAreMixedWithSignals()
    {
        // Arrange
        var commands = Commands(50);
        var signal = new SignalEvent { Sequence = 3, SymbolId = 1, EventTimeMs = 1_700_000_000_000, BestBid = 1, BestAsk = 2 };
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            for (var i = 0; i < commands.Length; i++)
            {
                writer.AppendOrderCommand(in commands[i], i);
                writer.AppendSignal(in signal, i);
            }
        }

        // Act
        var read = new List<(OrderCommand Command, long Sequence, long TimestampNs)>();
        var signals = 0;
        var refused = 0;
        using (var reader = new JournalReader(JournalDirectory))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.OrderCommand)
                {
                    read.Add((record.OrderCommand, record.Sequence, record.TimestampNs));
                }
                else
                {
                    signals++;
                    try
                    {
                        _ = record.OrderCommand;
                    }
                    catch (InvalidOperationException)
                    {
                        refused++;
                    }
                }
            }
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Select(r => r.Command), Is.EqualTo(commands));
            Assert.That(read.Select(r => r.Sequence), Is.EqualTo(Enumerable.Range(0, commands.Length).Select(i => (long)i)));
            Assert.That(read.Select(r => r.TimestampNs), Is.EqualTo(commands.Select(c => c.EventTimeMs * 1_000_000)));
            Assert.That(signals, Is.EqualTo(commands.Length));
            Assert.That(refused, Is.EqualTo(signals), "a signal record is never read as an order command");
        }
    }

    [Test]
    public void ShouldCountCommandsAndKeepTheirOwnSequence_WhenScanned()
    {
        // Arrange: signals and commands each have their own outbound sequence, both starting at 0.
        var commands = Commands(20);
        var signal = new SignalEvent { SymbolId = 1, EventTimeMs = 1 };
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            for (var i = 0; i < commands.Length; i++)
            {
                writer.AppendSignal(in signal, i);
                writer.AppendOrderCommand(in commands[i], i);
            }
        }

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.IsIntact, Is.True, string.Join("; ", report.Damage.Select(d => d.Message)));
            Assert.That(report.OrderCommands, Is.EqualTo(20));
            Assert.That(report.Signals, Is.EqualTo(20));
            Assert.That(report.Records, Is.EqualTo(40));
        }
    }

    [Test]
    public void ShouldReportADiscontinuity_WhenACommandSequenceGoesBack()
    {
        // Arrange
        var commands = Commands(3);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendOrderCommand(in commands[0], 5);
            writer.AppendOrderCommand(in commands[1], 6);
            writer.AppendOrderCommand(in commands[2], 6);
        }

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        Assert.That(report.Damage.Single().Message, Does.Contain("OrderCommand sequence 6 does not follow 6"));
    }

    [Test]
    public void ShouldReportMiddleDamageAndNeverReturnTheCommand_WhenAPayloadByteIsFlipped()
    {
        // Arrange
        var commands = Commands(5);
        using (var writer = new JournalWriter(JournalDirectory, Options(1 << 20)))
        {
            for (var i = 0; i < commands.Length; i++)
            {
                writer.AppendOrderCommand(in commands[i], i);
            }
        }

        var path = SegmentPath(JournalDirectory, 0);
        var offset = JournalDescriptor.HeaderLength + (2 * Frame);
        var original = ReadFileBytes(path, offset + RecordDescriptor.PayloadOffset + OrderCommandDescriptor.PriceOffset, 1);
        PatchFile(path, offset + RecordDescriptor.PayloadOffset + OrderCommandDescriptor.PriceOffset, [(byte)(original[0] ^ 0x40)]);

        // Act
        var report = JournalScanner.Scan(JournalDirectory);
        using var reader = new JournalReader(JournalDirectory);
        var before = 0;
        while (before < 2 && reader.TryRead(out _))
        {
            before++;
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.HasDamageBeforeTail, Is.True);
            Assert.That(report.Damage.Single().Offset, Is.EqualTo(offset));
            Assert.That(report.Damage.Single().Message, Does.Contain("CRC-32C mismatch"));
            Assert.That(before, Is.EqualTo(2));
            Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _), "the damaged command is never returned");
        }
    }

    [Test]
    public void ShouldRefuseTheSegment_WhenItsHeaderRecordsAnotherOrderCommandLayout()
    {
        // Arrange
        var commands = Commands(1);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendOrderCommand(in commands[0], 0);
        }

        var version = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(version, OrderCommandDescriptor.Version + 1);
        PatchFile(SegmentPath(JournalDirectory, 0), JournalDescriptor.OrderCommandVersionOffset, version);

        // Act
        var error = Assert.Throws<JournalFormatException>(() => new JournalReader(JournalDirectory).Dispose());

        // Assert
        Assert.That(error!.Message, Does.Contain($"OrderCommand layout version {OrderCommandDescriptor.Version + 1}"));
    }

    [Test]
    public void ShouldRefuseAVersion2Journal_WhenOpened()
    {
        // Arrange: a version-2 segment (no OrderCommand version in its header).
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            var commands = Commands(1);
            writer.AppendOrderCommand(in commands[0], 0);
        }

        var version = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(version, 2);
        PatchFile(SegmentPath(JournalDirectory, 0), JournalDescriptor.FormatVersionOffset, version);

        // Act
        var error = Assert.Throws<JournalFormatException>(() => new JournalReader(JournalDirectory).Dispose());

        // Assert
        Assert.That(error!.Message, Does.Contain("format version 2").And.Contain($"versions {JournalDescriptor.MinReadableVersion} to {JournalDescriptor.Version}"));
    }

    [Test]
    public void ShouldAcceptOnlyA64BytePayload_WhenCopyingACommandAsABlob()
    {
        // Arrange
        var commands = Commands(1);
        var bytes = MemoryMarshal.AsBytes(commands.AsSpan()).ToArray();
        using var writer = new JournalWriter(JournalDirectory, Options());

        // Act
        writer.AppendBlob(JournalRecordType.OrderCommand, bytes, 9, commands[0].EventTimeMs * 1_000_000);

        // Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.AppendBlob(JournalRecordType.OrderCommand, bytes.AsSpan(0, 63), 10));
        writer.Dispose();
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(reader.TryRead(out var record), Is.True);
        Assert.That((record.OrderCommand, record.Sequence), Is.EqualTo((commands[0], 9L)));
    }

    [Test]
    public void ShouldNotAllocate_WhenAppendingCommandsAfterWarmUp()
    {
        // Arrange
        var command = Commands(1)[0];
        using var writer = new JournalWriter(JournalDirectory, Options(16 * 1024 * 1024));
        for (var i = 0; i < 20_000; i++)
        {
            writer.AppendOrderCommand(in command, i);
        }

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 20_000; i < 30_000; i++)
        {
            writer.AppendOrderCommand(in command, i);
            writer.OnBatchEnd();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(writer.SegmentCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldFindNoDivergence_WhenTwoOutboundStreamsHoldTheSameCommandsAndSignals()
    {
        // Arrange
        var expected = Path.Combine(JournalDirectory, "expected");
        var actual = Path.Combine(JournalDirectory, "actual");
        WriteOutbound(expected, Commands(10));
        WriteOutbound(actual, Commands(10));

        // Act
        var divergence = OutboundStreamComparer.Compare(expected, actual, out var compared);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(divergence, Is.Null);
            Assert.That(compared, Is.EqualTo(20), "10 signals and 10 order commands");
        }
    }

    [Test]
    public void ShouldNameTheFirstDifferingCommandField_WhenAQuantityDiffers()
    {
        // Arrange
        var expected = Path.Combine(JournalDirectory, "expected");
        var actual = Path.Combine(JournalDirectory, "actual");
        var changed = Commands(10);
        changed[6].Quantity += 1;
        WriteOutbound(expected, Commands(10));
        WriteOutbound(actual, changed);

        // Act
        var divergence = OutboundStreamComparer.Compare(expected, actual, out var compared);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(divergence, Is.Not.Null);
            Assert.That(divergence!.Field, Is.EqualTo(nameof(OrderCommand.Quantity)));
            Assert.That(divergence.ByteOffset, Is.EqualTo(OrderCommandDescriptor.QuantityOffset));
            Assert.That(divergence.ExpectedType, Is.EqualTo(JournalRecordType.OrderCommand));
            Assert.That(divergence.ExpectedOrder!.Value.Quantity + 1, Is.EqualTo(divergence.ActualOrder!.Value.Quantity));
            Assert.That(divergence.Sequence, Is.EqualTo(6));
            Assert.That(compared, Is.EqualTo(13), "signals 0-6 and commands 0-5 matched");
        }
    }

    [Test]
    public void ShouldReportARecordTypeDifference_WhenACommandStandsWhereASignalWas()
    {
        // Arrange
        var expected = Path.Combine(JournalDirectory, "expected");
        var actual = Path.Combine(JournalDirectory, "actual");
        var commands = Commands(1);
        var signal = new SignalEvent { SymbolId = 1, EventTimeMs = 1 };
        using (var writer = new JournalWriter(expected, Options()))
        {
            writer.AppendSignal(in signal, 0);
        }

        using (var writer = new JournalWriter(actual, Options()))
        {
            writer.AppendOrderCommand(in commands[0], 0);
        }

        // Act
        var divergence = OutboundStreamComparer.Compare(expected, actual, out _);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(divergence!.Field, Is.EqualTo("record type"));
            Assert.That((divergence.ExpectedType, divergence.ActualType), Is.EqualTo((JournalRecordType.Signal, JournalRecordType.OrderCommand)));
            Assert.That(divergence.ExpectedSignal, Is.EqualTo(signal));
            Assert.That(divergence.ActualOrder, Is.EqualTo(commands[0]));
        }
    }

    [Test]
    public void ShouldReportEndOfStream_WhenTheActualStreamLacksTheLastCommand()
    {
        // Arrange
        var expected = Path.Combine(JournalDirectory, "expected");
        var actual = Path.Combine(JournalDirectory, "actual");
        WriteOutbound(expected, Commands(4));
        WriteOutbound(actual, Commands(4)[..3]);
        using (var writer = JournalWriter.Resume(actual, Options()))
        {
            var signal = Signal(3);
            writer.AppendSignal(in signal, 3);
        }

        // Act
        var divergence = OutboundStreamComparer.Compare(expected, actual, out var compared);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(divergence!.Field, Is.EqualTo("end of stream"));
            Assert.That(divergence.ActualType, Is.EqualTo(JournalRecordType.None));
            Assert.That(divergence.ExpectedOrder, Is.EqualTo(Commands(4)[3]));
            Assert.That(compared, Is.EqualTo(7));
        }
    }

    private static void WriteOutbound(string directory, OrderCommand[] commands)
    {
        using var writer = new JournalWriter(directory, Options());
        for (var i = 0; i < commands.Length; i++)
        {
            var signal = Signal(i);
            writer.AppendSignal(in signal, i);
            writer.AppendOrderCommand(in commands[i], i);
        }
    }

    private static SignalEvent Signal(int i) => new() { Sequence = 100 + i, SymbolId = 1, EventTimeMs = 1_700_000_000_000 + i, BestBid = 10 + i, BestAsk = 20 + i };

    /// <summary>Deterministic well-formed commands cycling through every action, side, type and time in force.</summary>
    private static OrderCommand[] Commands(int count)
    {
        var commands = new OrderCommand[count];
        for (var i = 0; i < count; i++)
        {
            var side = i % 2 == 0 ? OrderSide.Buy : OrderSide.Sell;
            var price = 2_814_510_000_000 + (i * 1_000_000);
            var eventTimeMs = 1_700_000_000_000 + i;
            commands[i] = (i % 6) switch
            {
                0 => OrderCommand.NewLimit(1, side, price, 100_000 + i, TimeInForce.GoodTillCancelled, i + 1, 1000 + i, eventTimeMs),
                1 => OrderCommand.NewLimit(2, side, price, 100_000 + i, TimeInForce.ImmediateOrCancel, i + 1, 1000 + i, eventTimeMs),
                2 => OrderCommand.NewMarket(1, side, 100_000 + i, i + 1, 1000 + i, eventTimeMs),
                3 => OrderCommand.NewLimitMaker(2, side, price, 100_000 + i, i + 1, 1000 + i, eventTimeMs),
                4 => OrderCommand.Cancel(1, i, i + 1, 1000 + i, eventTimeMs),
                _ => OrderCommand.CancelAll(2, i + 1, 1000 + i, eventTimeMs),
            };
        }

        return commands;
    }
}
