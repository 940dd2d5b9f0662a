using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Tests;

public class MarketEventTests
{
    private static readonly (string Field, int Offset)[] _layout =
    [
        (nameof(MarketEvent.Kind), MarketEventDescriptor.KindOffset),
        (nameof(MarketEvent.Flags), MarketEventDescriptor.FlagsOffset),
        (nameof(MarketEvent.Side), MarketEventDescriptor.SideOffset),
        (nameof(MarketEvent.Market), MarketEventDescriptor.MarketOffset),
        (nameof(MarketEvent.SymbolId), MarketEventDescriptor.SymbolIdOffset),
        (nameof(MarketEvent.ReceiveTimestampNs), MarketEventDescriptor.ReceiveTimestampOffset),
        (nameof(MarketEvent.PublishTimestampNs), MarketEventDescriptor.PublishTimestampOffset),
        (nameof(MarketEvent.LocalTimestampNs), MarketEventDescriptor.LocalTimestampOffset),
        (nameof(MarketEvent.EventTimeMs), MarketEventDescriptor.EventTimeOffset),
        (nameof(MarketEvent.TransactionTimeMs), MarketEventDescriptor.TransactionTimeOffset),
        (nameof(MarketEvent.FirstUpdateId), MarketEventDescriptor.FirstUpdateIdOffset),
        (nameof(MarketEvent.FirstTradeId), MarketEventDescriptor.FirstUpdateIdOffset),
        (nameof(MarketEvent.FinalUpdateId), MarketEventDescriptor.FinalUpdateIdOffset),
        (nameof(MarketEvent.TradeId), MarketEventDescriptor.FinalUpdateIdOffset),
        (nameof(MarketEvent.PreviousFinalUpdateId), MarketEventDescriptor.PreviousFinalUpdateIdOffset),
        (nameof(MarketEvent.LastTradeId), MarketEventDescriptor.PreviousFinalUpdateIdOffset),
        (nameof(MarketEvent.Price), MarketEventDescriptor.PriceOffset),
        (nameof(MarketEvent.BidPrice), MarketEventDescriptor.PriceOffset),
        (nameof(MarketEvent.Quantity), MarketEventDescriptor.QuantityOffset),
        (nameof(MarketEvent.BidQuantity), MarketEventDescriptor.QuantityOffset),
        (nameof(MarketEvent.AskPrice), MarketEventDescriptor.AskPriceOffset),
        (nameof(MarketEvent.AskQuantity), MarketEventDescriptor.AskQuantityOffset),
        (nameof(MarketEvent.LevelIndex), MarketEventDescriptor.LevelIndexOffset),
        (nameof(MarketEvent.LevelCount), MarketEventDescriptor.LevelCountOffset),
        (nameof(MarketEvent.SourceLine), MarketEventDescriptor.SourceLineOffset),
        (nameof(MarketEvent.ErrorCode), MarketEventDescriptor.ErrorCodeOffset),
        (nameof(MarketEvent.SourceFileIndex), MarketEventDescriptor.SourceFileIndexOffset),
        (nameof(MarketEvent.ErrorOffset), MarketEventDescriptor.ErrorOffsetOffset),
    ];

    [Test]
    public void ShouldBeTwoCacheLines_WhenMeasuringSize()
    {
        // Act
        var managed = Unsafe.SizeOf<MarketEvent>();
        var marshalled = Marshal.SizeOf<MarketEvent>();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(managed, Is.EqualTo(128));
            Assert.That(marshalled, Is.EqualTo(128));
            Assert.That(MarketEventDescriptor.Size, Is.EqualTo(128));
        });
    }

    [Test]
    public void ShouldPlaceEveryFieldAtItsDescriptorOffset_WhenUsingMarshalOffsetOf()
    {
        // Act / Assert
        Assert.Multiple(() =>
        {
            foreach (var (field, offset) in _layout)
            {
                Assert.That((int)Marshal.OffsetOf<MarketEvent>(field), Is.EqualTo(offset), field);
            }
        });
    }

    [Test]
    public void ShouldCoverEveryPublicField_WhenListingTheLayout()
    {
        // Arrange
        var fields = typeof(MarketEvent).GetFields().Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();

        // Act
        var listed = _layout.Select(l => l.Field).Order(StringComparer.Ordinal).ToArray();

        // Assert
        Assert.That(listed, Is.EqualTo(fields), "every field of MarketEvent has an asserted offset");
    }

    [Test]
    public void ShouldPlaceEveryFieldAtItsDescriptorOffset_WhenMeasuringManagedByteOffsets()
    {
        // Arrange
        var e = default(MarketEvent);
        ref var start = ref Unsafe.As<MarketEvent, byte>(ref e);

        // Act
        var offsets = new Dictionary<string, nint>
        {
            [nameof(MarketEvent.Kind)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<MarketEventKind, byte>(ref e.Kind)),
            [nameof(MarketEvent.Flags)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<MarketEventFlags, byte>(ref e.Flags)),
            [nameof(MarketEvent.Side)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<BookSide, byte>(ref e.Side)),
            [nameof(MarketEvent.Market)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<Market, byte>(ref e.Market)),
            [nameof(MarketEvent.SymbolId)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref e.SymbolId)),
            [nameof(MarketEvent.ReceiveTimestampNs)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.ReceiveTimestampNs)),
            [nameof(MarketEvent.PublishTimestampNs)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.PublishTimestampNs)),
            [nameof(MarketEvent.LocalTimestampNs)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.LocalTimestampNs)),
            [nameof(MarketEvent.EventTimeMs)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.EventTimeMs)),
            [nameof(MarketEvent.TransactionTimeMs)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.TransactionTimeMs)),
            [nameof(MarketEvent.FirstUpdateId)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.FirstUpdateId)),
            [nameof(MarketEvent.FirstTradeId)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.FirstTradeId)),
            [nameof(MarketEvent.FinalUpdateId)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.FinalUpdateId)),
            [nameof(MarketEvent.TradeId)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.TradeId)),
            [nameof(MarketEvent.PreviousFinalUpdateId)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.PreviousFinalUpdateId)),
            [nameof(MarketEvent.LastTradeId)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.LastTradeId)),
            [nameof(MarketEvent.Price)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.Price)),
            [nameof(MarketEvent.BidPrice)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.BidPrice)),
            [nameof(MarketEvent.Quantity)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.Quantity)),
            [nameof(MarketEvent.BidQuantity)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.BidQuantity)),
            [nameof(MarketEvent.AskPrice)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.AskPrice)),
            [nameof(MarketEvent.AskQuantity)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.AskQuantity)),
            [nameof(MarketEvent.LevelIndex)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref e.LevelIndex)),
            [nameof(MarketEvent.LevelCount)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref e.LevelCount)),
            [nameof(MarketEvent.SourceLine)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref e.SourceLine)),
            [nameof(MarketEvent.ErrorCode)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<DecodeErrorCode, byte>(ref e.ErrorCode)),
            [nameof(MarketEvent.SourceFileIndex)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<ushort, byte>(ref e.SourceFileIndex)),
            [nameof(MarketEvent.ErrorOffset)] = Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref e.ErrorOffset)),
        };

        // Assert
        Assert.Multiple(() =>
        {
            foreach (var (field, offset) in _layout)
            {
                Assert.That((int)offsets[field], Is.EqualTo(offset), field);
            }
        });
    }

    [Test]
    public void ShouldDeriveDescriptorOffsetsWithoutGapsOrOverlap_WhenReadingConstants()
    {
        // Assert: the distinct offsets, in order, each followed by its field's size, tile 0..128 exactly.
        Assert.Multiple(() =>
        {
            Assert.That(MarketEventDescriptor.KindOffset, Is.Zero);
            Assert.That(MarketEventDescriptor.SymbolIdOffset, Is.EqualTo(4));
            Assert.That(MarketEventDescriptor.ReceiveTimestampOffset, Is.EqualTo(8));
            Assert.That(MarketEventDescriptor.PriceOffset, Is.EqualTo(72));
            Assert.That(MarketEventDescriptor.LevelIndexOffset, Is.EqualTo(104));
            Assert.That(MarketEventDescriptor.SourceLineOffset, Is.EqualTo(112));
            Assert.That(MarketEventDescriptor.ErrorCodeOffset, Is.EqualTo(120));
            Assert.That(MarketEventDescriptor.ErrorOffsetOffset, Is.EqualTo(124));
            Assert.That(MarketEventDescriptor.Size, Is.EqualTo(128));
        });
    }
}
