using OptiFlow.Testing;
using System.Collections.Concurrent;
using System.Text;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Tests.Support;

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

        // Act / Assert: three warm-up runs and the measured one, 1,000 lookups each.
        AllocationAssert.ShouldNotAllocate(
            () =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    var found = table.TryGet(upper, out var a) & table.TryGetOrAdd(lower, out var b) & !table.TryGet(unknown, out var c);
                    total += found && a == 1 && b == 0 && c == -1 ? 1 : 0;
                }
            },
            warmUpRuns: 3);
        Assert.That(total, Is.EqualTo(4000), "every lookup found the right id");
    }

    [Test]
    public void ShouldThrowAndStayUnchanged_WhenInterningIntoAFrozenTable()
    {
        // Arrange
        var table = new SymbolTable();
        table.GetOrAdd("BTCUSDT");
        var frozen = table.Freeze();

        // Act / Assert: interning is refused whether or not the table already holds the symbol.
        Assert.Multiple(() =>
        {
            Assert.That(frozen, Is.SameAs(table));
            Assert.That(table.IsFrozen, Is.True);
            Assert.That(() => table.GetOrAdd("ETHUSDT"), Throws.InvalidOperationException.With.Message.Contains("frozen").And.Message.Contains("ETHUSDT"));
            Assert.That(() => table.GetOrAdd("BTCUSDT"), Throws.InvalidOperationException.With.Message.Contains("frozen"));
            Assert.That(() => table.TryGetOrAdd("ethusdt"u8, out _), Throws.InvalidOperationException);
            Assert.That(table.Freeze(), Is.SameAs(table), "idempotent");
            Assert.That(table.Count, Is.EqualTo(1));
            Assert.That(table.TryGet("btcusdt"u8, out var id) && id == 0, Is.True, "lookups still work");
            Assert.That(table.TryGet("ETHUSDT"u8, out _), Is.False);
        });
    }

    [Test]
    public void ShouldThrowIfNotFrozen_WhenAReceiveSideObjectIsGivenAnOpenTable()
    {
        // Arrange
        var open = new SymbolTable();
        var frozen = new SymbolTable().Freeze();

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => SymbolTable.ThrowIfNotFrozen(open), Throws.ArgumentException.With.Property("ParamName").EqualTo("open").And.Message.Contains("Freeze()"));
            Assert.That(() => SymbolTable.ThrowIfNotFrozen(null), Throws.ArgumentNullException);
            Assert.That(() => SymbolTable.ThrowIfNotFrozen(frozen), Throws.Nothing);
        });
    }

    /// <summary>
    /// Two or more receive threads trying to intern at once cannot corrupt a configured table, by design: once frozen
    /// (and receive-side objects accept no other), the table has no writer, so every attempt throws before writing,
    /// whichever thread makes it and however they interleave.
    /// </summary>
    [Test]
    public void ShouldRefuseEveryThread_WhenSeveralThreadsTryToInternIntoAFrozenTableAtOnce()
    {
        // Arrange
        const int Threads = 4;
        const int Attempts = 500;
        var table = new SymbolTable(64);
        table.GetOrAdd("BTCUSDT");
        table.GetOrAdd("ETHUSDT");
        table.Freeze();
        using var start = new Barrier(Threads);
        var refused = new int[Threads];
        var added = new ConcurrentBag<string>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            if (!start.SignalAndWait(Await.Timeout))
            {
                return; // counted below: nothing recorded for this thread
            }

            for (var i = 0; i < Attempts; i++)
            {
                var name = $"T{t}SYM{i % 40}";
                try
                {
                    added.Add(i % 2 == 0 ? table.GetOrAdd(name).ToString() : table.TryGetOrAdd(Encoding.ASCII.GetBytes(name), out var id) + ":" + id);
                }
                catch (InvalidOperationException)
                {
                    refused[t]++;
                }
            }
        })).ToList();

        // Act
        Await.StartAndJoin(threads, "interning thread");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.All.EqualTo(Attempts), "every attempt refused");
            Assert.That(added, Is.Empty);
            Assert.That(table.Count, Is.EqualTo(2));
            Assert.That(new[] { table.NameOf(0), table.NameOf(1) }, Is.EqualTo(new[] { "BTCUSDT", "ETHUSDT" }));
        });
    }

    [Test]
    public void ShouldGiveEveryThreadTheSameIds_WhenSeveralThreadsLookUpAtOnceInAFrozenTable()
    {
        // Arrange: 300 symbols, looked up in both cases by 4 threads at once, with unknown names mixed in.
        const int Threads = 4;
        const int Rounds = 50;
        var table = new SymbolTable(512);
        var names = Enumerable.Range(0, 300).Select(i => $"SYM{i}USDT").ToArray();
        foreach (var name in names)
        {
            table.GetOrAdd(name);
        }

        table.Freeze();
        var upper = names.Select(Encoding.ASCII.GetBytes).ToArray();
        var lower = names.Select(n => Encoding.ASCII.GetBytes(n.ToLowerInvariant())).ToArray();
        var unknown = Enumerable.Range(0, 300).Select(i => Encoding.ASCII.GetBytes($"OTHER{i}USDT")).ToArray();
        using var start = new Barrier(Threads);
        var wrong = new int[Threads];
        var checkedLookups = new int[Threads];
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            if (!start.SignalAndWait(Await.Timeout))
            {
                return; // counted below: nothing recorded for this thread
            }

            for (var round = 0; round < Rounds; round++)
            {
                for (var i = 0; i < names.Length; i++)
                {
                    var ok = table.TryGet(upper[i], out var a) && a == i
                        && table.TryGet(lower[i], out var b) && b == i
                        && !table.TryGet(unknown[i], out var c) && c == -1
                        && table.NameOf(i) == names[i]
                        && table.Utf8NameOf(i).SequenceEqual(upper[i]);
                    wrong[t] += ok ? 0 : 1;
                    checkedLookups[t]++;
                }
            }
        })).ToList();

        // Act
        Await.StartAndJoin(threads, "lookup thread");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(checkedLookups, Is.All.EqualTo(Rounds * names.Length), "every thread ran every round");
            Assert.That(wrong, Is.All.Zero);
            Assert.That(table.Count, Is.EqualTo(names.Length));
        });
    }

    [Test]
    public void ShouldIssueEachNameOneDenseId_WhenSeveralConfiguringThreadsInternAtOnceBeforeTheFreeze()
    {
        // Arrange: configuration is meant for one owner, but adds are serialized, so even overlapping configuring
        // threads leave a consistent table (in whichever order they ran).
        const int Threads = 4;
        var table = new SymbolTable(256);
        var names = Enumerable.Range(0, 200).Select(i => $"SYM{i}USDT").ToArray();
        using var start = new Barrier(Threads);
        var ids = new ConcurrentDictionary<string, ConcurrentBag<int>>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            if (!start.SignalAndWait(Await.Timeout))
            {
                return; // counted below: nothing recorded for this thread
            }

            foreach (var name in t % 2 == 0 ? names : names.Reverse())
            {
                ids.GetOrAdd(name, _ => []).Add(table.GetOrAdd(name));
            }
        })).ToList();

        // Act
        Await.StartAndJoin(threads, "configuring thread");
        table.Freeze();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(table.Count, Is.EqualTo(names.Length));
            Assert.That(ids.Values.Select(v => v.Count), Is.All.EqualTo(Threads), "every thread interned every name");
            Assert.That(ids.Values.Select(v => v.Distinct().Count()), Is.All.EqualTo(1), "one id per name, whoever asked");
            Assert.That(ids.Values.Select(v => v.First()).Order(), Is.EqualTo(Enumerable.Range(0, names.Length)), "dense");
            Assert.That(names.All(n => table.TryGet(Encoding.ASCII.GetBytes(n), out var id) && table.NameOf(id) == n), Is.True);
        });
    }
}
