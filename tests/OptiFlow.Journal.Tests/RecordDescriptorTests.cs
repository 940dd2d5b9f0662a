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
            Assert.That(RecordDescriptor.SequenceOffset, Is.EqualTo(8));
            Assert.That(RecordDescriptor.Crc32COffset, Is.EqualTo(16));
            Assert.That(RecordDescriptor.PayloadLengthOffset, Is.EqualTo(20));
            Assert.That(RecordDescriptor.HeaderLength, Is.EqualTo(24));
            Assert.That(RecordDescriptor.PayloadOffset, Is.EqualTo(RecordDescriptor.HeaderLength));
            Assert.That(RecordDescriptor.MinPaddingFrameLength, Is.EqualTo(8));
            Assert.That(RecordDescriptor.Version, Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldFrameAMarketEventIn152AlignedBytes_WhenLaidOut()
    {
        // Arrange
        var eventSize = Unsafe.SizeOf<MarketEvent>();

        // Act
        var frame = RecordDescriptor.MarketEventFrameLength;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(eventSize, Is.EqualTo(MarketEventDescriptor.Size));
            Assert.That(frame, Is.EqualTo(152));
            Assert.That(frame % RecordDescriptor.Alignment, Is.Zero);
            Assert.That(RecordDescriptor.PayloadOffset % RecordDescriptor.Alignment, Is.Zero);
            Assert.That(JournalDescriptor.HeaderLength % RecordDescriptor.Alignment, Is.Zero);
        }
    }

    [TestCase(0, 24)]
    [TestCase(1, 32)]
    [TestCase(7, 32)]
    [TestCase(8, 32)]
    [TestCase(9, 40)]
    [TestCase(128, 152)]
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
}
