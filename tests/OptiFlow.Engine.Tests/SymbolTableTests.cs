using System.Text;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Tests;

public class SymbolTableTests
{
    [Test]
    public void ShouldFindSameId_WhenLookingUpInAnyCase()
    {
        // Arrange
        var table = new SymbolTable();
        var id = table.GetOrAdd("BTCUSDT");

        // Act
        var lower = table.TryGet("btcusdt"u8, out var lowerId);
        var mixed = table.TryGet("BtcUsdT"u8, out var mixedId);
        var again = table.TryGetOrAdd("btcUSDT"u8, out var againId);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(lower && mixed && again, Is.True);
            Assert.That(new[] { lowerId, mixedId, againId }, Is.All.EqualTo(id));
            Assert.That(table.Count, Is.EqualTo(1));
            Assert.That(table.NameOf(id), Is.EqualTo("BTCUSDT"));
            Assert.That(Encoding.ASCII.GetString(table.Utf8NameOf(id)), Is.EqualTo("BTCUSDT"));
        });
    }

    [Test]
    public void ShouldIssueDenseIds_WhenAddingSymbolsInOrder()
    {
        // Arrange
        var table = new SymbolTable(16);
        string[] names = ["btcusdt", "ETHUSDT", "bnbusdt", "SOLUSDT", "xrpusdt"];

        // Act
        var ids = names.Select(table.GetOrAdd).ToArray();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
            Assert.That(names.Select((n, i) => table.NameOf(i)), Is.EqualTo(names.Select(n => n.ToUpperInvariant())));
        });
    }

    [Test]
    public void ShouldFindEveryId_WhenTableIsFilledToCapacity()
    {
        // Arrange
        const int Capacity = 100;
        var table = new SymbolTable(Capacity);
        for (var i = 0; i < Capacity; i++)
        {
            table.GetOrAdd($"SYM{i}USDT");
        }

        // Act
        var found = Enumerable.Range(0, Capacity).Count(i => table.TryGet(Encoding.ASCII.GetBytes($"sym{i}usdt"), out var id) && id == i);

        // Assert
        Assert.That(found, Is.EqualTo(Capacity));
    }

    [Test]
    public void ShouldRefuseNewSymbols_WhenCapacityIsReached()
    {
        // Arrange
        var table = new SymbolTable(2);
        table.GetOrAdd("AAA");
        table.GetOrAdd("BBB");

        // Act
        var added = table.TryGetOrAdd("CCC"u8, out var id);
        var existing = table.TryGetOrAdd("bbb"u8, out var existingId);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(added, Is.False);
            Assert.That(id, Is.EqualTo(-1));
            Assert.That(existing, Is.True);
            Assert.That(existingId, Is.EqualTo(1));
            Assert.That(table.Count, Is.EqualTo(2));
            Assert.That(() => table.GetOrAdd("DDD"), Throws.InvalidOperationException);
        });
    }

    [Test]
    public void ShouldRejectInvalidNamesAndIds_WhenOutOfRange()
    {
        // Arrange
        var table = new SymbolTable(4);
        var tooLong = new byte[SymbolTable.MaxSymbolLength + 1];
        Array.Fill(tooLong, (byte)'A');

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(table.TryGetOrAdd(ReadOnlySpan<byte>.Empty, out _), Is.False);
            Assert.That(table.TryGetOrAdd(tooLong, out _), Is.False);
            Assert.That(table.TryGet("NOPE"u8, out var missing), Is.False);
            Assert.That(missing, Is.EqualTo(-1));
            Assert.That(() => table.NameOf(0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new SymbolTable(0), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenLookingUpKnownSymbols()
    {
        // Arrange
        var table = new SymbolTable();
        table.GetOrAdd("BTCUSDT");
        table.GetOrAdd("ETHUSDT");
        var upper = "ETHUSDT"u8.ToArray();
        var lower = "btcusdt"u8.ToArray();
        var unknown = "dogeusdt"u8.ToArray();
        var total = 0;

        // Act / Assert
        Support.AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                var found = table.TryGet(upper, out var a) & table.TryGetOrAdd(lower, out var b) & !table.TryGet(unknown, out var c);
                total += found && a == 1 && b == 0 && c == -1 ? 1 : 0;
            }
        });
        Assert.That(total, Is.EqualTo(4000), "every lookup found the right id");
    }
}
