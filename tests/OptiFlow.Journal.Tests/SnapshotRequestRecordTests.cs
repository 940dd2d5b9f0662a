using System.Buffers.Binary;
using NUnit.Framework;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal.Outbound;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// The core's snapshot requests on the outbound stream (journal format 4): their record layout, the outbound journal's
/// numbering of every decision record, reading a version-3 journal, and the byte-for-byte comparison.
/// </summary>
[TestFixture]
public class SnapshotRequestRecordTests : JournalTestBase
{
    [Test]
    public void ShouldPlaceRequestFieldsAtDocumentedOffsets_WhenLaidOut()
    {
        // Arrange
        var request = Request(7);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<SnapshotRequest>(in request));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(SnapshotRequestDescriptor.MatchesRuntimeLayout(), Is.True);
            Assert.That(SnapshotRequestDescriptor.Size, Is.EqualTo(40));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes[SnapshotRequestDescriptor.CausingSequenceOffset..]), Is.EqualTo(request.CausingSequence));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes[SnapshotRequestDescriptor.FirstBufferedUpdateIdOffset..]), Is.EqualTo(request.FirstBufferedUpdateId));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes[SnapshotRequestDescriptor.LastAppliedUpdateIdOffset..]), Is.EqualTo(request.LastAppliedUpdateId));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes[SnapshotRequestDescriptor.EventTimeMsOffset..]), Is.EqualTo(request.EventTimeMs));
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(bytes[SnapshotRequestDescriptor.SymbolIdOffset..]), Is.EqualTo(request.SymbolId));
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(bytes[SnapshotRequestDescriptor.ReasonOffset..]), Is.EqualTo((int)request.Reason));
        }
    }

    [Test]
    public void ShouldNumberEveryDecisionRecordAndSkipBookViews_WhenTheOutboundHandlerJournals()
    {
        // Arrange: signal, book level (not a decision), request, order command, signal.
        var slots = new OutboundEvent[5];
        slots[0].Kind = OutboundEventKind.Signal;
        slots[0].Signal = new SignalEvent { Sequence = 10, SymbolId = 1, Applied = 1, EventTimeMs = 1_000 };
        slots[1].Kind = OutboundEventKind.BookLevel;
        slots[1].BookLevel = new BookLevel { SymbolId = 1, LevelCount = 1, Price = 5 };
        slots[2].Kind = OutboundEventKind.SnapshotRequest;
        slots[2].SnapshotRequest = Request(11);
        slots[3].Kind = OutboundEventKind.OrderCommand;
        slots[3].OrderCommand = new OrderCommand { CausingSequence = 12, ClientOrderId = 1, SymbolId = 1, EventTimeMs = 1_200 };
        slots[4].Kind = OutboundEventKind.Signal;
        slots[4].Signal = new SignalEvent { Sequence = 13, SymbolId = 1, Applied = 2, EventTimeMs = 1_300 };

        // Act
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            var handler = new OutboundJournalHandler(writer);
            for (var i = 0; i < slots.Length; i++)
            {
                handler.OnEvent(ref slots[i], i, endOfBatch: i == slots.Length - 1);
            }

            Assert.That(handler.RecordsJournaled, Is.EqualTo(4));
        }

        // Assert
        var records = new List<(JournalRecordType Type, long Sequence, long TimestampNs)>();
        SnapshotRequest read = default;
        using (var reader = new JournalReader(JournalDirectory))
        {
            while (reader.TryRead(out var record))
            {
                records.Add((record.Type, record.Sequence, record.TimestampNs));
                if (record.Type == JournalRecordType.SnapshotRequest)
                {
                    read = record.SnapshotRequest;
                }
            }
        }

        var scan = JournalScanner.Scan(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Select(r => r.Type), Is.EqualTo(new[] { JournalRecordType.Signal, JournalRecordType.SnapshotRequest, JournalRecordType.OrderCommand, JournalRecordType.Signal }));
            Assert.That(records.Select(r => r.Sequence), Is.EqualTo(new long[] { 0, 1, 2, 3 }), "the journal's own numbering, book views skipped");
            Assert.That(records[1].TimestampNs, Is.EqualTo(Request(11).EventTimeMs * 1_000_000), "a request is stamped with its E");
            Assert.That(read, Is.EqualTo(Request(11)));
            Assert.That(scan.IsIntact, Is.True);
            Assert.That(scan.SnapshotRequests, Is.EqualTo(1));
            Assert.That(scan.Signals, Is.EqualTo(2));
            Assert.That(scan.OrderCommands, Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldRefuseAnUnwrittenSlot_WhenAppended()
    {
        // Arrange
        using var writer = new JournalWriter(JournalDirectory, Options());
        var slot = default(OutboundEvent);

        // Act / Assert
        var error = Assert.Throws<InvalidOperationException>(() => OutboundJournalHandler.Append(writer, in slot, 0));
        Assert.That(error!.Message, Does.Contain("None"));
    }

    [Test]
    public void ShouldReadAVersion3Journal_WhenOpened()
    {
        // Arrange: a segment whose header says version 3 and has no request layout field (zero), as a v3 writer wrote it.
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendSignal(new SignalEvent { Sequence = 1, Applied = 1 }, 0);
        }

        LegacySignalJournal.Downgrade(JournalDirectory, 3); // 96-byte signals, no request layout field

        // Act
        long records = 0;
        using (var reader = new JournalReader(JournalDirectory))
        {
            while (reader.TryRead(out _))
            {
                records++;
            }
        }

        // Assert
        Assert.That(records, Is.EqualTo(1));
    }

    [Test]
    public void ShouldRefuseTheSegment_WhenItsHeaderRecordsAnotherRequestLayout()
    {
        // Arrange
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendSnapshotRequest(Request(1), 0);
        }

        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, SnapshotRequestDescriptor.Version + 1);
        PatchFile(SegmentPath(JournalDirectory, 0), JournalDescriptor.SnapshotRequestVersionOffset, bytes);

        // Act
        var error = Assert.Throws<JournalFormatException>(() => new JournalReader(JournalDirectory).Dispose());

        // Assert
        Assert.That(error!.Message, Does.Contain($"SnapshotRequest layout version {SnapshotRequestDescriptor.Version + 1}"));
    }

    [Test]
    public void ShouldNameTheFirstDifferingRequestField_WhenStreamsDiverge()
    {
        // Arrange
        var expected = Path.Combine(JournalDirectory, "expected");
        var actual = Path.Combine(JournalDirectory, "actual");
        var changed = Request(5);
        changed.FirstBufferedUpdateId++;
        using (var writer = new JournalWriter(expected, Options()))
        {
            writer.AppendSignal(new SignalEvent { Sequence = 1, Applied = 1 }, 0);
            writer.AppendSnapshotRequest(Request(5), 1);
        }

        using (var writer = new JournalWriter(actual, Options()))
        {
            writer.AppendSignal(new SignalEvent { Sequence = 1, Applied = 1 }, 0);
            writer.AppendSnapshotRequest(changed, 1);
        }

        // Act
        var divergence = OutboundStreamComparer.Compare(expected, actual, out var equal);
        var same = OutboundStreamComparer.Compare(expected, expected, out var all);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(equal, Is.EqualTo(1));
            Assert.That(divergence!.Index, Is.EqualTo(1));
            Assert.That(divergence.Field, Is.EqualTo(nameof(SnapshotRequest.FirstBufferedUpdateId)));
            Assert.That(divergence.ExpectedRequest, Is.EqualTo(Request(5)));
            Assert.That(divergence.ActualRequest, Is.EqualTo(changed));
            Assert.That(same, Is.Null);
            Assert.That(all, Is.EqualTo(2));
        }
    }

    private static SnapshotRequest Request(long causingSequence) => new()
    {
        CausingSequence = causingSequence,
        FirstBufferedUpdateId = 5_000 + causingSequence,
        LastAppliedUpdateId = 4_990 + causingSequence,
        EventTimeMs = 1_700_000_000_000 + causingSequence,
        SymbolId = 2,
        Reason = SnapshotRequestReason.ChainBroken,
    };
}
