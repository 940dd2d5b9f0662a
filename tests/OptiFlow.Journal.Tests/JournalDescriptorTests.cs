using System.Runtime.CompilerServices;
using System.Text;
using OptiFlow.Engine.Model;

namespace OptiFlow.Journal.Tests;

public class JournalDescriptorTests
{
    [Test]
    public void ShouldPlaceHeaderFieldsAtDocumentedOffsets_WhenLaidOut()
    {
        // Arrange / Act: constants are the layout.
        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(JournalDescriptor.MagicOffset, Is.EqualTo(0));
            Assert.That(JournalDescriptor.FormatVersionOffset, Is.EqualTo(8));
            Assert.That(JournalDescriptor.MarketEventVersionOffset, Is.EqualTo(12));
            Assert.That(JournalDescriptor.SegmentIndexOffset, Is.EqualTo(16));
            Assert.That(JournalDescriptor.BasePositionOffset, Is.EqualTo(24));
            Assert.That(JournalDescriptor.CreationTimeNsOffset, Is.EqualTo(32));
            Assert.That(JournalDescriptor.SegmentSizeOffset, Is.EqualTo(40));
            Assert.That(JournalDescriptor.SignalEventVersionOffset, Is.EqualTo(48));
            Assert.That(JournalDescriptor.OrderCommandVersionOffset, Is.EqualTo(52));
            Assert.That(JournalDescriptor.SnapshotRequestVersionOffset, Is.EqualTo(56));
            Assert.That(JournalDescriptor.EvaluatorRecordVersionOffset, Is.EqualTo(60));
            Assert.That(JournalDescriptor.PaddingOffset, Is.EqualTo(64));
            Assert.That(JournalDescriptor.PaddingLength, Is.EqualTo(0));
            Assert.That(JournalDescriptor.HeaderLength, Is.EqualTo(64));
            Assert.That(JournalDescriptor.Version, Is.EqualTo(6));
            Assert.That(JournalDescriptor.MinReadableVersion, Is.EqualTo(3));
        }
    }

    [Test]
    public void ShouldAlignEveryInt64HeaderField_WhenLaidOut()
    {
        // Arrange
        int[] int64Offsets =
        [
            JournalDescriptor.MagicOffset, JournalDescriptor.SegmentIndexOffset, JournalDescriptor.BasePositionOffset,
            JournalDescriptor.CreationTimeNsOffset, JournalDescriptor.SegmentSizeOffset, JournalDescriptor.HeaderLength,
        ];

        // Act
        var misaligned = int64Offsets.Where(o => o % sizeof(long) != 0).ToArray();

        // Assert
        Assert.That(misaligned, Is.Empty);
    }

    [Test]
    public void ShouldSpellOfJournlInAscii_WhenMagicIsStoredLittleEndian()
    {
        // Arrange
        var bytes = BitConverter.GetBytes(JournalDescriptor.Magic);

        // Act
        var text = Encoding.ASCII.GetString(bytes);

        // Assert
        Assert.That(text, Is.EqualTo("OFJOURNL"));
    }

    [Test]
    public void ShouldAcceptOnlyPowerOfTwoSegmentSizeLimits_WhenConfigured()
    {
        // Arrange
        int[] sizes = [JournalDescriptor.MinSegmentSize, JournalDescriptor.DefaultSegmentSize, JournalDescriptor.MaxSegmentSize];

        // Act / Assert
        using (Assert.EnterMultipleScope())
        {
            foreach (var size in sizes)
            {
                Assert.That(size & (size - 1), Is.Zero, $"{size} is a power of two");
            }

            Assert.That(JournalDescriptor.DefaultSegmentSize, Is.EqualTo(64 * 1024 * 1024));
        }
    }
}
