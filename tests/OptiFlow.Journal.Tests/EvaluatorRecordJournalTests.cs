using System.Buffers.Binary;
using NUnit.Framework;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal.Outbound;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>Evaluator records on the outbound stream (journal format 5): layout, journaling, reading a version-4
/// journal, the header's layout check, and the byte-for-byte comparison naming the differing field.</summary>
[TestFixture]
public class EvaluatorRecordJournalTests : JournalTestBase
{
    [Test]
    public void ShouldPlaceHeaderFieldsAtDocumentedOffsets_WhenLaidOut()
    {
        // Arrange
        var record = Record(9, 1.5);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<EvaluatorRecord>(in record));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(EvaluatorRecordDescriptor.MatchesRuntimeLayout(), Is.True);
            Assert.That(OutboundEventDescriptor.MatchesRuntimeLayout(), Is.True);
            Assert.That(bytes.Length, Is.EqualTo(120));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes[EvaluatorRecordDescriptor.TypeOffset..]), Is.EqualTo((ushort)EvaluatorRecordType.TriangleOpportunity));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes[EvaluatorRecordDescriptor.EvaluatorIdOffset..]), Is.EqualTo(3));
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(bytes[EvaluatorRecordDescriptor.SymbolIdOffset..]), Is.EqualTo(7));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes[EvaluatorRecordDescriptor.CausingSequenceOffset..]), Is.EqualTo(9));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes[EvaluatorRecordDescriptor.EventTimeMsOffset..]), Is.EqualTo(1_700_000_000_009));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes[EvaluatorRecordDescriptor.LocalTimestampNsOffset..]), Is.EqualTo(1_700_000_000_009_000_123));
            Assert.That(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(bytes[EvaluatorRecordDescriptor.BodyOffset..])), Is.EqualTo(1.5));
        }
    }

    [Test]
    public void ShouldJournalAndReadBack_WhenTheOutboundHandlerMeetsAnEvaluatorRecord()
    {
        // Arrange
        var slots = new OutboundEvent[2];
        slots[0].Kind = OutboundEventKind.EvaluatorRecord;
        slots[0].EvaluatorRecord = Record(4, 2.25);
        slots[1].Kind = OutboundEventKind.EvaluatorRecord;
        slots[1].EvaluatorRecord = Record(5, -1);
        slots[1].EvaluatorRecord.LocalTimestampNs = 0; // no receive time: stamped from E

        // Act
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            var handler = new OutboundJournalHandler(writer);
            handler.OnEvent(ref slots[0], 0, endOfBatch: false);
            handler.OnEvent(ref slots[1], 1, endOfBatch: true);
        }

        var read = new List<(EvaluatorRecord Record, long Sequence, long TimestampNs)>();
        using (var reader = new JournalReader(JournalDirectory))
        {
            while (reader.TryRead(out var record))
            {
                read.Add((record.EvaluatorRecord, record.Sequence, record.TimestampNs));
            }
        }

        var scan = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Select(r => r.Sequence), Is.EqualTo(new long[] { 0, 1 }));
            Assert.That(read[0].Record, Is.EqualTo(slots[0].EvaluatorRecord));
            Assert.That(read[1].Record, Is.EqualTo(slots[1].EvaluatorRecord));
            Assert.That(read[0].TimestampNs, Is.EqualTo(slots[0].EvaluatorRecord.LocalTimestampNs), "stamped with the causing event's receive time");
            Assert.That(read[1].TimestampNs, Is.EqualTo(slots[1].EvaluatorRecord.EventTimeMs * 1_000_000), "without one, with its E");
            Assert.That(scan.IsIntact, Is.True);
            Assert.That(scan.EvaluatorRecords, Is.EqualTo(2));
        }
    }

    [Test]
    public void ShouldReadAVersion4Journal_WhenOpened()
    {
        // Arrange: a v4 writer left the last four header bytes as zero padding.
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendSignal(new SignalEvent { Sequence = 1, Applied = 1 }, 0);
        }

        LegacySignalJournal.Downgrade(JournalDirectory, 4); // 96-byte signals, the evaluator layout field zero

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
    public void ShouldRefuseTheSegment_WhenItsHeaderRecordsAnotherEvaluatorLayout()
    {
        // Arrange
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendEvaluatorRecord(Record(1, 0), 0);
        }

        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, EvaluatorRecordDescriptor.Version + 1);
        PatchFile(SegmentPath(JournalDirectory, 0), JournalDescriptor.EvaluatorRecordVersionOffset, bytes);

        // Act
        var error = Assert.Throws<JournalFormatException>(() => new JournalReader(JournalDirectory).Dispose());

        // Assert
        Assert.That(error!.Message, Does.Contain($"EvaluatorRecord layout version {EvaluatorRecordDescriptor.Version + 1}"));
    }

    [Test]
    public void ShouldNameTheBodyAsTheDifferingField_WhenOnlyTheBodiesDiffer()
    {
        // Arrange
        var expected = Path.Combine(JournalDirectory, "expected");
        var actual = Path.Combine(JournalDirectory, "actual");
        using (var writer = new JournalWriter(expected, Options()))
        {
            writer.AppendEvaluatorRecord(Record(2, 1.0), 0);
            writer.AppendEvaluatorRecord(Record(3, 1.0), 1);
        }

        using (var writer = new JournalWriter(actual, Options()))
        {
            writer.AppendEvaluatorRecord(Record(2, 1.0), 0);
            writer.AppendEvaluatorRecord(Record(3, 1.0000001), 1);
        }

        // Act
        var divergence = OutboundStreamComparer.Compare(expected, actual, out var equal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(equal, Is.EqualTo(1));
            Assert.That(divergence!.Index, Is.EqualTo(1));
            Assert.That(divergence.ExpectedType, Is.EqualTo(JournalRecordType.EvaluatorRecord));
            Assert.That(divergence.Field, Is.EqualTo("Body"));
            Assert.That(divergence.ExpectedEvaluatorRecord, Is.EqualTo(Record(3, 1.0)));
            Assert.That(divergence.ActualEvaluatorRecord, Is.EqualTo(Record(3, 1.0000001)));
        }
    }

    private static EvaluatorRecord Record(long causingSequence, double value)
    {
        var record = new EvaluatorRecord
        {
            Type = EvaluatorRecordType.TriangleOpportunity,
            EvaluatorId = 3,
            SymbolId = 7,
            CausingSequence = causingSequence,
            EventTimeMs = 1_700_000_000_000 + causingSequence,
            LocalTimestampNs = (1_700_000_000_000 + causingSequence) * 1_000_000 + 123,
        };
        record.BodyAs<double>() = value;
        return record;
    }
}
