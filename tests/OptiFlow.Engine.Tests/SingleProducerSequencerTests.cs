using System.Reflection;
using System.Runtime.CompilerServices;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class SingleProducerSequencerTests : SequencerFixture<SingleProducerSequencer>
{
    /// <summary>Views an object's field bytes (what follows the method-table pointer) as a ref byte.</summary>
    private sealed class RawData
    {
        public byte Data;
    }

    protected override ProducerType Producer => ProducerType.Single;

    [Test]
    public void ShouldPublishTheCursorOnlyOnPublish_WhenClaiming()
    {
        // Arrange
        var sequencer = new SingleProducerSequencer(8, new YieldingWaitStrategy());

        // Act
        var high = sequencer.Next(3);
        var cursorBeforePublish = sequencer.Cursor.Value;
        sequencer.Publish(high);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(cursorBeforePublish, Is.EqualTo(Sequence.InitialValue), "claiming does not move the cursor");
            Assert.That(sequencer.Cursor.Value, Is.EqualTo(2), "one producer's cursor is the highest published");
        });
    }

    [Test]
    public unsafe void ShouldPadTheProducerFields_WhenReadingTheRuntimeLayout()
    {
        // Arrange: write a pattern into _nextValue and find it at its declared offset.
        var sequencer = new SingleProducerSequencer(8, new YieldingWaitStrategy());
        const long Pattern = 0x0123456789ABCDEF;
        typeof(SingleProducerSequencer).GetField("_nextValue", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(sequencer, Pattern);
        var baseSize = *(uint*)((byte*)typeof(SingleProducerSequencer).TypeHandle.Value + sizeof(uint));

        // Act
        ref var fields = ref Unsafe.As<RawData>(sequencer).Data;
        var atOffset = Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref fields, SingleProducerSequencer.FieldsOffset + 24));
        var nonZeroPadding = 0;
        for (var i = 0; i < SingleProducerSequencer.Size; i++)
        {
            var inFields = i >= SingleProducerSequencer.FieldsOffset && i < SingleProducerSequencer.FieldsOffset + SingleProducerSequencer.FieldsSize;
            if (!inFields && Unsafe.Add(ref fields, i) != 0)
            {
                nonZeroPadding++;
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(SingleProducerSequencer.FieldsOffset, Is.EqualTo(56), "56 bytes of padding before the producer's fields");
            Assert.That(SingleProducerSequencer.Size - SingleProducerSequencer.FieldsOffset - SingleProducerSequencer.FieldsSize, Is.EqualTo(56), "56 after");
            Assert.That(atOffset, Is.EqualTo(Pattern), "_nextValue lives at field byte 80");
            Assert.That(nonZeroPadding, Is.Zero, "every byte outside the field block is padding");
            Assert.That((int)baseSize - (2 * IntPtr.Size), Is.EqualTo(SingleProducerSequencer.Size), "the runtime allocates every padding byte");
        });
    }
}
