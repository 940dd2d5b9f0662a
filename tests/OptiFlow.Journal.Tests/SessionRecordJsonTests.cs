using System.Text;
using NUnit.Framework;
using OptiFlow.Journal.Session;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// The session records' JSON: every field survives a round trip, a field the record does not have is ignored, a field
/// the JSON lacks keeps the record's default (an older journal's header), and a malformed record is a
/// <see cref="JournalFormatException"/> naming it.
/// </summary>
[TestFixture]
public sealed class SessionRecordJsonTests
{
    private static SessionHeaderRecord FullHeader() => new()
    {
        Version = 7,
        Market = "futures",
        Files = ["a.gz", "b.gz"],
        Venue = "binance-usdm",
        RingSize = 65_536,
        EventLayoutVersion = 3,
        StartedUtc = "2026-12-07T16:00:00.0000000Z",
        JournalFormatVersion = 4,
        SignalLayoutVersion = 2,
        SymbolCapacity = 1_024,
        SegmentSize = 1 << 26,
        Durability = "PageCache",
        WaitStrategy = "batching",
        JournalWaitStrategy = "sleeping",
        SteadyStateAfter = 10_000,
        Symbols = ["BTCUSDT", "ETHUSDT"],
        Evaluators = [new EvaluatorSpecRecord("obi", "{\"depth\":5}"), new EvaluatorSpecRecord("triangles", "{}")],
        Trading = "paper",
        TradingKeyId = "key-1",
    };

    private static RunSummaryRecord FullSummary() =>
        new(["BTCUSDT"], 532_923, 6_547, 0x7eec0c91, 0x3e606fa2, [new BookSummaryRecord(0, 500_000, 5_123_135_475_514, 0xdeadbeef, "61659.7", "61659.8", 2, 1)])
        {
            Version = 3,
            SnapshotRequests = 4,
            EvaluatorRecords = 5,
            OrderCommands = 6,
            QuarantinedEvaluators = 1,
        };

    [Test]
    public void ShouldReadBackEveryField_WhenParsingWhatWasWritten()
    {
        var header = FullHeader();
        var summary = FullSummary();

        var parsedHeader = SessionHeaderRecord.Parse(header.ToUtf8());
        var parsedSummary = RunSummaryRecord.Parse(summary.ToUtf8());

        Assert.Multiple(() =>
        {
            // Records compare lists by reference: compare the JSON of what was read with the original's.
            Assert.That(Encoding.UTF8.GetString(parsedHeader.ToUtf8()), Is.EqualTo(Encoding.UTF8.GetString(header.ToUtf8())));
            Assert.That(parsedHeader.Symbols, Is.EqualTo(new[] { "BTCUSDT", "ETHUSDT" }));
            Assert.That(parsedHeader.TradingKeyId, Is.EqualTo("key-1"));
            Assert.That(parsedHeader.Evaluators[1], Is.EqualTo(new EvaluatorSpecRecord("triangles", "{}")));
            Assert.That(Encoding.UTF8.GetString(parsedSummary.ToUtf8()), Is.EqualTo(Encoding.UTF8.GetString(summary.ToUtf8())));
            Assert.That(parsedSummary.Books[0].Digest, Is.EqualTo(0xdeadbeef));
        });
    }

    [Test]
    public void ShouldIgnoreUnknownPropertiesAndKeepDefaults_WhenParsingAnOlderOrNewerHeader()
    {
        var json = "{\"version\":1,\"market\":\"spot\",\"someFutureField\":[1,2,{\"x\":3}]}"u8;

        var header = SessionHeaderRecord.Parse(json);

        Assert.Multiple(() =>
        {
            Assert.That(header.Version, Is.EqualTo(1));
            Assert.That(header.Market, Is.EqualTo("spot"));
            Assert.That(header.Symbols, Is.Not.Null.And.Count.EqualTo(0));
            Assert.That(header.Evaluators, Is.Not.Null.And.Count.EqualTo(0));
            Assert.That(header.Durability, Is.EqualTo(""));
            Assert.That(header.Venue, Is.Null);
        });
    }

    [TestCase("{\"version\":")]
    [TestCase("null")]
    [TestCase("{\"version\":\"seven\"}")]
    public void ShouldThrowJournalFormatException_WhenTheHeaderIsNotValid(string json)
    {
        var ex = Assert.Throws<JournalFormatException>(() => SessionHeaderRecord.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.That(ex!.Message, Does.Contain("session header"));
    }

    [Test]
    public void ShouldThrowJournalFormatException_WhenTheRunSummaryIsNotValid()
    {
        var ex = Assert.Throws<JournalFormatException>(() => RunSummaryRecord.Parse("[1,2]"u8));

        Assert.That(ex!.Message, Does.Contain("run summary"));
    }
}
