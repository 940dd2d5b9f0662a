using System.Runtime.InteropServices;
using OptiFlow.Engine.Model;

namespace OptiFlow.Journal.Tests.Support;

/// <summary>A fresh temp directory per test under <see cref="Path.GetTempPath"/>, deleted in TearDown, plus data helpers.</summary>
public abstract class JournalTestBase
{
    protected const int SmallSegmentSize = 64 * 1024;

    protected string JournalDirectory { get; private set; } = string.Empty;

    [SetUp]
    public void CreateJournalDirectory() =>
        JournalDirectory = Path.Combine(Path.GetTempPath(), "optiflow-journal-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteJournalDirectory()
    {
        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }
    }

    protected static JournalOptions Options(int segmentSize = SmallSegmentSize) => new() { SegmentSize = segmentSize };

    /// <summary>Deterministic events whose 128 bytes are all random (every byte of the layout is exercised).</summary>
    protected static MarketEvent[] GenerateEvents(int count, int seed = 42)
    {
        var random = new Random(seed);
        var events = new MarketEvent[count];
        random.NextBytes(MemoryMarshal.AsBytes(events.AsSpan()));
        return events;
    }

    protected static ReadOnlySpan<byte> BytesOf(in MarketEvent e) => MemoryMarshal.AsBytes(new ReadOnlySpan<MarketEvent>(in e));

    protected static string SegmentPath(string directory, long basePosition) =>
        Path.Combine(directory, basePosition.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + ".seg");

    protected static void WriteEvents(JournalWriter writer, MarketEvent[] events, long firstSequence = 0)
    {
        for (var i = 0; i < events.Length; i++)
        {
            writer.Append(ref events[i], firstSequence + i);
        }
    }

    protected static void PatchFile(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Position = offset;
        stream.Write(bytes);
    }

    protected static byte[] ReadFileBytes(string path, long offset, int count)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = offset;
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Reads every record and checks it against the expected events; returns the first mismatch or null.</summary>
    protected static string? ReadAndCompare(JournalReader reader, MarketEvent[] expected, long firstSequence = 0)
    {
        var index = 0;
        while (reader.TryRead(out var record))
        {
            if (index >= expected.Length)
            {
                return $"more records than the {expected.Length} expected (type {record.Type} at position {record.Position})";
            }

            if (record.Type != JournalRecordType.MarketEvent)
            {
                return $"record {index} is a {record.Type} record";
            }

            if (record.Sequence != firstSequence + index)
            {
                return $"record {index} has sequence {record.Sequence}, expected {firstSequence + index}";
            }

            if (!record.Payload.SequenceEqual(BytesOf(expected[index])))
            {
                return $"record {index} payload differs from the event written";
            }

            index++;
        }

        return index == expected.Length ? null : $"read {index} records, expected {expected.Length}";
    }
}
