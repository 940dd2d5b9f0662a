using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Tests;

public class SequenceTests
{
    /// <summary>Views an object's field bytes (what follows the method-table pointer) as a ref byte.</summary>
    private sealed class RawData
    {
        public byte Data;
    }

    [Test]
    public void ShouldDeclareValueAt56AndSize120_WhenReadingMarshalLayout()
    {
        // Act
        var offset = (int)Marshal.OffsetOf<Sequence>("_value");
        var size = Marshal.SizeOf<Sequence>();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(offset, Is.EqualTo(56).And.EqualTo(Sequence.ValueOffset));
            Assert.That(size, Is.EqualTo(120).And.EqualTo(Sequence.Size));
        });
    }

    [Test]
    public void ShouldDeclareValueAt56_WhenReadingMarshalOffset()
    {
        // Act
        var offset = (int)Marshal.OffsetOf<Sequence>("_value");

        // Assert
        Assert.That(offset, Is.EqualTo(56).And.EqualTo(Sequence.ValueOffset));
    }

    [Test]
    public void ShouldStoreValueAtByte56OfTheManagedObject_WhenValueIsSet()
    {
        // Arrange
        var sequence = new Sequence(0);
        const long Pattern = 0x0123456789ABCDEF;

        // Act
        sequence.SetValue(Pattern);
        ref var fields = ref Unsafe.As<RawData>(sequence).Data;
        var atOffset = Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref fields, Sequence.ValueOffset));
        var otherBytes = 0;
        for (var i = 0; i < Sequence.Size; i++)
        {
            if ((i < Sequence.ValueOffset || i >= Sequence.ValueOffset + sizeof(long)) && Unsafe.Add(ref fields, i) != 0)
            {
                otherBytes++;
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(atOffset, Is.EqualTo(Pattern), "the value lives at field byte 56 of the managed object");
            Assert.That(otherBytes, Is.Zero, "every other field byte is padding (zero)");
        });
    }

    [Test]
    public unsafe void ShouldOccupy120FieldBytes_WhenReadingTheRuntimeBaseSize()
    {
        // Arrange: CoreCLR's MethodTable starts with uint m_dwFlags, uint m_BaseSize; BaseSize = object header +
        // method-table pointer + field bytes (rounded to pointer size).
        var methodTable = typeof(Sequence).TypeHandle.Value;

        // Act
        var baseSize = *(uint*)((byte*)methodTable + sizeof(uint));
        var fieldBytes = (int)baseSize - (2 * IntPtr.Size);

        // Assert
        Assert.That(fieldBytes, Is.EqualTo(Sequence.Size));
    }

    [Test]
    public void ShouldApplyEveryUpdate_WhenUsingAtomicOperations()
    {
        // Arrange
        var sequence = new Sequence();

        // Act
        var initial = sequence.Value;
        var swapped = sequence.CompareAndSet(-1, 5);
        var notSwapped = sequence.CompareAndSet(-1, 9);
        var added = sequence.AddAndGet(3);
        sequence.SetValueVolatile(42);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(initial, Is.EqualTo(Sequence.InitialValue));
            Assert.That(swapped, Is.True);
            Assert.That(notSwapped, Is.False);
            Assert.That(added, Is.EqualTo(8));
            Assert.That(sequence.ValuePlain, Is.EqualTo(42));
            Assert.That(sequence.ToString(), Is.EqualTo("42"));
        });
    }

    [Test]
    public void ShouldReturnSmallest_WhenTakingMinimum()
    {
        // Arrange
        Sequence[] sequences = [new(7), new(3), new(9)];

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(Sequence.Minimum(sequences), Is.EqualTo(3));
            Assert.That(Sequence.Minimum(sequences, 2), Is.EqualTo(2));
            Assert.That(Sequence.Minimum([], 11), Is.EqualTo(11));
        });
    }
}
