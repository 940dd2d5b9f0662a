using System.Runtime.CompilerServices;
using System.Text;
using OptiFlow.Engine.Model;

namespace OptiFlow.Journal.Tests;

public class RecordDescriptorTests
{
    [Test]
    public void ShouldPlaceFrameFieldsAtDocumentedOffsets_WhenLaidOut()
    {
        // Arrange / Act: constants are the layout.
        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RecordDescriptor.FrameLengthOffset, Is.EqualTo(0));
            Assert.That(RecordDescriptor.TypeOffset, Is.EqualTo(4));
            Assert.That(RecordDescriptor.FlagsOffset, Is.EqualTo(6));
            Assert.That(RecordDescriptor.Crc32COffset, Is.EqualTo(8));
            Assert.That(RecordDescriptor.PayloadLengthOffset, Is.EqualTo(12));
            Assert.That(RecordDescriptor.SequenceOffset, Is.EqualTo(16));
            Assert.That(RecordDescriptor.TimestampNsOffset, Is.EqualTo(24));
            Assert.That(RecordDescriptor.HeaderLength, Is.EqualTo(32));
            Assert.That(RecordDescriptor.PayloadOffset, Is.EqualTo(RecordDescriptor.HeaderLength));
            Assert.That(RecordDescriptor.MinPaddingFrameLength, Is.EqualTo(8));
            Assert.That(RecordDescriptor.Version, Is.EqualTo(2));
        }
    }

    [Test]
    public void ShouldFrameAMarketEventIn160AlignedBytes_WhenLaidOut()
    {
        // Arrange
        var eventSize = Unsafe.SizeOf<MarketEvent>();

        // Act
        var frame = RecordDescriptor.MarketEventFrameLength;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(eventSize, Is.EqualTo(MarketEventDescriptor.Size));
            Assert.That(frame, Is.EqualTo(160));
            Assert.That(frame % RecordDescriptor.Alignment, Is.Zero);
            Assert.That(RecordDescriptor.PayloadOffset % RecordDescriptor.Alignment, Is.Zero);
            Assert.That(JournalDescriptor.HeaderLength % RecordDescriptor.Alignment, Is.Zero);
        }
    }

    [TestCase(0, 32)]
    [TestCase(1, 40)]
    [TestCase(7, 40)]
    [TestCase(8, 40)]
    [TestCase(9, 48)]
    [TestCase(96, 128)]
    [TestCase(128, 160)]
    public void ShouldRoundFrameLengthUpToEightBytes_WhenPayloadHasAnyLength(int payloadLength, int expected)
    {
        // Arrange / Act
        var frame = RecordDescriptor.FrameLength(payloadLength);

        // Assert
        Assert.That(frame, Is.EqualTo(expected));
    }

    [Test]
    public void ShouldLeaveRoomForHeaders_WhenComputingMaxPayload()
    {
        // Arrange / Act
        var max = RecordDescriptor.MaxPayloadLength(64 * 1024);

        // Assert
        Assert.That(max, Is.EqualTo((64 * 1024) - JournalDescriptor.HeaderLength - RecordDescriptor.HeaderLength));
    }

    [Test]
    public void ShouldPlaceSignalFieldsAtDocumentedOffsets_WhenLaidOut()
    {
        // Arrange
        static int OffsetOf(string field) => (int)System.Runtime.InteropServices.Marshal.OffsetOf<Engine.Evaluators.SignalEvent>(field);

        // Act
        var size = Unsafe.SizeOf<Engine.Evaluators.SignalEvent>();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(size, Is.EqualTo(SignalRecordDescriptor.Size));
            Assert.That(SignalRecordDescriptor.MatchesRuntimeLayout(), Is.True);
            Assert.That(OffsetOf(nameof(Engine.Evaluators.SignalEvent.Sequence)), Is.Zero);
            Assert.That(OffsetOf(nameof(Engine.Evaluators.SignalEvent.SymbolId)), Is.EqualTo(8));
            Assert.That(OffsetOf(nameof(Engine.Evaluators.SignalEvent.Applied)), Is.EqualTo(16));
            Assert.That(OffsetOf(nameof(Engine.Evaluators.SignalEvent.EventTimeMs)), Is.EqualTo(SignalRecordDescriptor.EventTimeMsOffset));
            Assert.That(OffsetOf(nameof(Engine.Evaluators.SignalEvent.Obi1)), Is.EqualTo(56));
            Assert.That(OffsetOf(nameof(Engine.Evaluators.SignalEvent.MidDoubled)), Is.EqualTo(SignalRecordDescriptor.MidDoubledOffset));
            Assert.That(SignalRecordDescriptor.MidDoubledOffset, Is.EqualTo(88));
            Assert.That(OffsetOf(nameof(Engine.Evaluators.SignalEvent.Wobi10)), Is.EqualTo(SignalRecordDescriptor.Wobi10Offset));
            Assert.That(SignalRecordDescriptor.Wobi10Offset, Is.EqualTo(96));
            Assert.That(SignalRecordDescriptor.Size, Is.EqualTo(104));
            Assert.That(SignalRecordDescriptor.LegacySize, Is.EqualTo(96));
            Assert.That(RecordDescriptor.SignalFrameLength, Is.EqualTo(136));
        }
    }
}
