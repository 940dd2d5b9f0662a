using NUnit.Framework;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Journal.Outbound;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// Journal format 5: the signal record grows to 104 bytes (Wobi10 appended); journals of formats 3 and 4 (96-byte
/// signals) are still read, scanned, compared and copied, but not appended to.
/// </summary>
[TestFixture]
public class SignalRecordVersionTests : JournalTestBase
{
    private static SignalEvent Signal(long sequence, double wobi) => new()
    {
        Sequence = sequence,
        SymbolId = 2,
        Applied = sequence + 1,
        FinalUpdateId = 1000 + sequence,
        EventTimeMs = 1_700_000_000_000 + sequence,
        BestBid = 100 * FixedPoint.Scale,
        BestAsk = 101 * FixedPoint.Scale,
        Obi1 = 0.25,
        Obi5 = -0.5,
        Obi10 = 0.125,
        WeightedMid = 100.5,
        MidDoubled = 201 * FixedPoint.Scale,
        Wobi10 = wobi,
    };

    private void WriteJournal(string directory, params SignalEvent[] signals)
    {
        using var writer = new JournalWriter(directory, Options());
        var events = GenerateEvents(2);
        writer.Append(ref events[0], 0);
        for (var i = 0; i < signals.Length; i++)
        {
            writer.AppendSignal(in signals[i], i);
        }

        writer.Append(ref events[1], 1);
    }

    [TestCase(4)]
    [TestCase(3)]
    public void ShouldReadEveryFieldAndWobi10NaN_WhenTheJournalHasTheOldSignalLayout(int formatVersion)
    {
        // Arrange
        var written = new[] { Signal(5, 0.75), Signal(6, -0.75) };
        WriteJournal(JournalDirectory, written);
        LegacySignalJournal.Downgrade(JournalDirectory, formatVersion);

        // Act
        var signals = new List<SignalEvent>();
        var payloadLengths = new List<int>();
        var events = 0;
        using (var reader = new JournalReader(JournalDirectory))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.Signal)
                {
                    signals.Add(record.Signal);
                    payloadLengths.Add(record.Payload.Length);
                }
                else if (record.Type == JournalRecordType.MarketEvent)
                {
                    events++;
                }
            }
        }

        // Assert
        var expected = written.Select(s => s with { Wobi10 = double.NaN }).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(payloadLengths, Is.EqualTo(new[] { 96, 96 }));
            Assert.That(events, Is.EqualTo(2), "the market event after the signals is found: the frames are 96-byte aligned");
            Assert.That(signals.Select(s => s with { Wobi10 = 0 }), Is.EqualTo(expected.Select(s => s with { Wobi10 = 0 })));
            Assert.That(signals.Select(s => s.Wobi10), Is.All.NaN);
        }
    }

    [Test]
    public void ShouldReadWobi10_WhenTheJournalIsVersion5()
    {
        // Arrange
        WriteJournal(JournalDirectory, Signal(5, 0.75));

        // Act
        SignalEvent signal = default;
        var length = 0;
        using (var reader = new JournalReader(JournalDirectory))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.Signal)
                {
                    signal = record.Signal;
                    length = record.Payload.Length;
                }
            }
        }

        // Assert
        Assert.That(length, Is.EqualTo(SignalRecordDescriptor.Size));
        Assert.That(signal, Is.EqualTo(Signal(5, 0.75)));
    }

    [Test]
    public void ShouldScanWithoutDamage_WhenTheJournalIsVersion4()
    {
        // Arrange
        WriteJournal(JournalDirectory, Signal(5, 0.75), Signal(6, 0.5));
        LegacySignalJournal.Downgrade(JournalDirectory, 4);

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Damage, Is.Empty);
            Assert.That(report.Signals, Is.EqualTo(2));
            Assert.That(report.MarketEvents, Is.EqualTo(2));
        }
    }

    [Test]
    public void ShouldRefuseToResume_WhenTheLastSegmentIsVersion4()
    {
        // Arrange
        WriteJournal(JournalDirectory, Signal(5, 0.75));
        LegacySignalJournal.Downgrade(JournalDirectory, 4);
        var before = File.ReadAllBytes(SegmentPath(JournalDirectory, 0));

        // Act
        var error = Assert.Throws<JournalFormatException>(() => JournalWriter.Resume(JournalDirectory, Options()).Dispose());

        // Assert
        Assert.That(error!.Message, Does.Contain("format version 4").And.Contain("nothing was written"));
        Assert.That(File.ReadAllBytes(SegmentPath(JournalDirectory, 0)), Is.EqualTo(before));
    }

    [Test]
    public void ShouldRefuseTheSegment_WhenAVersion5HeaderRecordsTheOldSignalLayout()
    {
        // Arrange
        WriteJournal(JournalDirectory, Signal(5, 0.75));
        PatchFile(SegmentPath(JournalDirectory, 0), JournalDescriptor.SignalEventVersionOffset, BitConverter.GetBytes(SignalRecordDescriptor.LegacyVersion));

        // Act
        var error = Assert.Throws<JournalFormatException>(() => new JournalReader(JournalDirectory).Dispose());

        // Assert
        Assert.That(error!.Message, Does.Contain("SignalEvent layout version 1"));
    }

    [Test]
    public void ShouldCompareTheCommon96Bytes_WhenAVersion4StreamMeetsAVersion5One()
    {
        // Arrange
        var expected = Path.Combine(JournalDirectory, "expected");
        var same = Path.Combine(JournalDirectory, "same");
        var different = Path.Combine(JournalDirectory, "different");
        WriteJournal(expected, Signal(5, 0.75), Signal(6, 0.5));
        LegacySignalJournal.Downgrade(expected, 4);
        WriteJournal(same, Signal(5, 0.1), Signal(6, 0.2));
        WriteJournal(different, Signal(5, 0.1), Signal(6, 0.2) with { Obi5 = 0.5 });

        // Act
        var identical = OutboundStreamComparer.Compare(expected, same, out var compared);
        var divergence = OutboundStreamComparer.Compare(expected, different, out _);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(identical, Is.Null);
            Assert.That(compared, Is.EqualTo(2));
            Assert.That(divergence, Is.Not.Null);
            Assert.That(divergence!.Field, Is.EqualTo(nameof(SignalEvent.Obi5)));
            Assert.That(OutboundStreamComparer.FieldAt(JournalRecordType.Signal, SignalRecordDescriptor.Wobi10Offset), Is.EqualTo(nameof(SignalEvent.Wobi10)));
        }
    }
}
