using System.Reflection;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Journal;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// The engine's locks are Monitors on plain objects, never <see cref="Lock"/>: a <see cref="Lock"/> allocates its wait
/// event on the waiting thread the first time a thread must block on it (280 B measured in a fresh process, 56 B for
/// each further lock), so a gateway thread that once met the receive thread in a lock broke its steady-state 0 B (CI saw
/// exactly 280 B in <c>BinanceOrderVenueTests.ShouldNotAllocate_WhenSendingInSteadyState</c>). A Monitor's contended
/// wait allocates nothing.
/// </summary>
[TestFixture]
public sealed class HotPathLockTests
{
    private static readonly Assembly[] Product =
    [
        typeof(MarketCore).Assembly, typeof(EngineSession).Assembly, typeof(JournalWriter).Assembly, typeof(BinanceOrderVenue).Assembly,
    ];

    [Test]
    public void ShouldHoldNoSystemThreadingLock_WhenAnyProductTypeIsInspected()
    {
        // Arrange
        const BindingFlags Fields = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

        // Act
        var lockFields = Product
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(Fields).Select(f => (Type: t, Field: f)))
            .Where(x => x.Field.FieldType == typeof(Lock))
            .Select(x => $"{x.Type.FullName}.{x.Field.Name}")
            .ToList();

        // Assert
        Assert.That(Product.Sum(a => a.GetTypes().Length), Is.GreaterThan(100), "the product's types were inspected");
        Assert.That(lockFields, Is.Empty, "System.Threading.Lock fields (use a Monitor on a private object)");
    }

    [Test]
    public void ShouldNotAllocate_WhenAThreadWaitsForAContendedMonitor()
    {
        // Arrange: the holder keeps the monitor until this thread is blocked in it (bounded), so the wait is contended.
        var gate = new object();
        var holding = new ManualResetEventSlim();
        var waiter = Thread.CurrentThread;
        var blockedSeen = false;
        var holder = new Thread(() =>
        {
            lock (gate)
            {
                holding.Set();
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                while (!(blockedSeen = (waiter.ThreadState & ThreadState.WaitSleepJoin) != 0) && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(1);
                }
            }
        });
        holder.Start();
        Assert.That(holding.Wait(TimeSpan.FromSeconds(10)), Is.True, "the holder took the monitor");

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        lock (gate)
        {
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(holder.Join(TimeSpan.FromSeconds(10)), Is.True, "the holder ended");

        // Assert
        Assert.That(blockedSeen, Is.True, "this thread blocked in the monitor (a contended wait)");
        Assert.That(allocated, Is.Zero, "bytes a contended Monitor wait allocated on the waiting thread");
    }
}
