using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Output;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;
using OptiFlow.Journal.Outbound;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// The outbound ring's consumers allocate nothing per record in steady state, over the real outbound stream of the
/// shipped recording (4,322 signals and their book views): the outbound journal's handler, the replay's appender, and
/// the two printers.
/// </summary>
[TestFixture]
public sealed class OutboundConsumerAllocationTests
{
    private static readonly Lazy<(OutboundEvent[] Slots, SymbolTable Symbols)> Stream = new(Capture);

    [Test]
    public void ShouldNotAllocate_WhenTheOutboundJournalHandlerJournalsRealRecords()
    {
        // Arrange: segments large enough that no roll (which maps a file) falls in the measured runs.
        var slots = Stream.Value.Slots;
        using var temp = new TempDirectory("outbound-alloc");
        using var writer = new JournalWriter(temp.File("outbound"), new JournalOptions { SegmentSize = 64 * 1024 * 1024 });
        var handler = new OutboundJournalHandler(writer);

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < slots.Length; i++)
            {
                handler.OnEvent(ref slots[i], i, endOfBatch: (i & 63) == 63);
            }
        });
        Assert.That(handler.RecordsJournaled, Is.EqualTo(3 * slots.Count(s => s.Kind == OutboundEventKind.Signal)), "two warm-ups and the measured run");
    }

    [Test]
    public void ShouldNotAllocate_WhenTheReplaysAppenderJournalsRealSignals()
    {
        // Arrange
        var signals = Stream.Value.Slots.Where(s => s.Kind == OutboundEventKind.Signal).Select(s => s.Signal).ToArray();
        using var temp = new TempDirectory("appender-alloc");
        using var writer = new JournalWriter(temp.File("outbound"), new JournalOptions { SegmentSize = 64 * 1024 * 1024 });
        var appender = new OutboundJournalAppender(writer);
        var book = new OrderBook(0);

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < signals.Length; i++)
            {
                appender.OnSignal(in signals[i], book);
            }
        });
        Assert.That(appender.Published, Is.EqualTo(3 * signals.Length));
    }

    [Test]
    public void ShouldNotAllocate_WhenThePrintersPrintRealSignalsAndBookViews()
    {
        // Arrange: the printers' own buffers, writing to a stream that keeps nothing.
        var (slots, symbols) = Stream.Value;
        using var buffer = new Utf8OutputBuffer(System.IO.Stream.Null);
        var signals = new SignalCsvPrinter(buffer, symbols);
        var books = new BookJsonPrinter(buffer, symbols, depth: 20, every: 50);
        IEventHandler<OutboundEvent>[] printers = [signals, books];

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            foreach (var printer in printers)
            {
                for (var i = 0; i < slots.Length; i++)
                {
                    printer.OnEvent(ref slots[i], i, endOfBatch: false);
                }
            }
        });
        Assert.That(signals.Rows, Is.EqualTo(3 * slots.Count(s => s.Kind == OutboundEventKind.Signal)));
        Assert.That(buffer.Failure, Is.Null);
    }

    /// <summary>The shipped recording through the host, with book views every 50 applied messages, captured slot by slot.</summary>
    private static (OutboundEvent[] Slots, SymbolTable Symbols) Capture()
    {
        var input = RecordingInput.Open([Cli.OptiFlowCommand.DemoRecording], RecordingFormat.Hftbacktest, Market.Futures);
        var capture = new SlotCapture();
        HostedRun.Run(input, new EngineOptions { OutboundHandlers = [capture], BookViews = new BookViewPolicy(20, 50) });
        Assert.That(capture.Slots.Count(s => s.Kind == OutboundEventKind.BookLevel), Is.GreaterThan(1000), "book views captured");
        return ([.. capture.Slots], input.Symbols);
    }

    private sealed class SlotCapture : IEventHandler<OutboundEvent>
    {
        public List<OutboundEvent> Slots { get; } = [];

        public void OnStart()
        {
        }

        public void OnBatchStart(long firstSequence, long count)
        {
        }

        public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch) => Slots.Add(data);

        public void OnShutdown()
        {
        }
    }
}
