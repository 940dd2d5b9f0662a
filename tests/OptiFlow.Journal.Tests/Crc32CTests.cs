using System.Runtime.CompilerServices;
using System.Text;
using OptiFlow.Engine.Model;

namespace OptiFlow.Journal.Tests;

public class Crc32CTests
{
    [Test]
    public void ShouldMatchStandardCheckValue_WhenInputIs123456789()
    {
        // Arrange
        var data = "123456789"u8;

        // Act
        var crc = Crc32C.Compute(data);

        // Assert
        Assert.That(crc, Is.EqualTo(0xE3069283u));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(13)]
    [TestCase(128)]
    [TestCase(1000)]
    public void ShouldMatchBitwiseReference_WhenInputHasAnyLength(int length)
    {
        // Arrange
        var data = new byte[length];
        new Random(length).NextBytes(data);

        // Act
        var crc = Crc32C.Compute(data);

        // Assert
        Assert.That(crc, Is.EqualTo(ReferenceCrc32C(data)));
    }

    private static uint ReferenceCrc32C(byte[] data)
    {
        const uint polynomial = 0x82F63B78u; // Castagnoli, reflected
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1;
            }
        }

        return ~crc;
    }
}
