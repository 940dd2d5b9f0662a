using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Journal.Tests;

public class Crc32CTests
{
    [Test]
    public void ShouldEqualTheSerialChain_WhenTheFrameTakesTheInterleavedPath()
    {
        // Arrange: random frames of every payload length up to 300 bytes (64, 96 and 128 take the three-chain path),
        // each with 50 different contents.
        var random = new Random(2026);
        var buffer = new byte[RecordDescriptor.HeaderLength + 300];
        var mismatches = new List<int>();

        // Act
        for (var payload = 0; payload <= 300; payload++)
        {
            for (var round = 0; round < 50; round++)
            {
                random.NextBytes(buffer);
                if (Crc32C.Frame(buffer, payload) != Crc32C.FrameSerial(buffer, payload))
                {
                    mismatches.Add(payload);
                }
            }
        }

        // Assert
        Assert.That(mismatches.Distinct(), Is.Empty);
    }

    [TestCase(64)]
    [TestCase(96)]
    [TestCase(128)]
    public void ShouldDetectEverySingleBitFlip_WhenTheFrameTakesTheInterleavedPath(int payload)
    {
        // Arrange
        var buffer = new byte[RecordDescriptor.HeaderLength + payload];
        new Random(payload).NextBytes(buffer);
        var original = Crc32C.Frame(buffer, payload);

        var undetected = new List<int>();

        // Act: every bit the CRC covers (type and flags, then payload length onward).
        for (var bit = 8 * RecordDescriptor.TypeOffset; bit < 8 * buffer.Length; bit++)
        {
            if (bit >= 8 * RecordDescriptor.Crc32COffset && bit < 8 * RecordDescriptor.PayloadLengthOffset)
            {
                continue;
            }

            buffer[bit / 8] ^= (byte)(1 << (bit % 8));
            if (Crc32C.Frame(buffer, payload) == original)
            {
                undetected.Add(bit);
            }

            buffer[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        // Assert
        Assert.That(undetected, Is.Empty);
    }

    [Test]
    public void ShouldEqualTheStoredFramesChecksum_WhenComputedFromTheRecordsValues()
    {
        // Arrange / Act: every payload type the writer appends from values, and other sizes (12 bytes: a 4-byte tail;
        // 16, 40, 200); 200 random contents each.
        var random = new Random(7);
        var mismatches = new List<string>();
        mismatches.AddRange(RecordMismatches<MarketEvent>(random));
        mismatches.AddRange(RecordMismatches<SignalEvent>(random));
        mismatches.AddRange(RecordMismatches<OrderCommand>(random));
        mismatches.AddRange(RecordMismatches<Bytes12>(random));
        mismatches.AddRange(RecordMismatches<Bytes16>(random));
        mismatches.AddRange(RecordMismatches<Bytes40>(random));
        mismatches.AddRange(RecordMismatches<Bytes200>(random));

        // Assert
        Assert.That(mismatches, Is.Empty);
    }

    private static IEnumerable<string> RecordMismatches<T>(Random random)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        var frame = new byte[RecordDescriptor.HeaderLength + size];
        for (var round = 0; round < 200; round++)
        {
            var payload = new byte[size];
            random.NextBytes(payload);
            var value = MemoryMarshal.Read<T>(payload);
            var type = (ushort)random.Next(1, ushort.MaxValue);
            var sequence = random.NextInt64(long.MinValue, long.MaxValue);
            var timestampNs = random.NextInt64(long.MinValue, long.MaxValue);

            BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(RecordDescriptor.TypeOffset), type);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(RecordDescriptor.PayloadLengthOffset), size);
            BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(RecordDescriptor.SequenceOffset), sequence);
            BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(RecordDescriptor.TimestampNsOffset), timestampNs);
            payload.CopyTo(frame, RecordDescriptor.PayloadOffset);

            var fromValues = Crc32C.Record(type, sequence, timestampNs, in value);
            var fromFrame = Crc32C.FrameSerial(frame, size);
            if (fromValues != fromFrame)
            {
                yield return $"{typeof(T).Name} round {round}: {fromValues:X8} != {fromFrame:X8}";
            }
        }
    }

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

    [StructLayout(LayoutKind.Sequential, Size = 12)]
    private struct Bytes12
    {
        private readonly byte _first;
    }

    [StructLayout(LayoutKind.Sequential, Size = 16)]
    private struct Bytes16
    {
        private readonly byte _first;
    }

    [StructLayout(LayoutKind.Sequential, Size = 40)]
    private struct Bytes40
    {
        private readonly byte _first;
    }

    [StructLayout(LayoutKind.Sequential, Size = 200)]
    private struct Bytes200
    {
        private readonly byte _first;
    }
}
