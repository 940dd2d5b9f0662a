using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>Bounded waits for other threads: every wait ends in a timeout that fails the test with a message (STYLE "Tests").</summary>
internal static class Await
{
    /// <summary>Generous bound: a healthy run takes milliseconds; only a hang reaches it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static void Signal(ManualResetEventSlim signal, string what) =>
        Assert.That(signal.Wait(Timeout), Is.True, $"Timed out after {Timeout.TotalSeconds} s waiting for {what}.");

    public static void Join(Thread thread, string what) =>
        Assert.That(thread.Join(Timeout), Is.True, $"Timed out after {Timeout.TotalSeconds} s waiting for thread '{what}' to end.");

    /// <summary>Starts every thread, then joins each with the bounded wait of <see cref="Join"/>.</summary>
    public static void StartAndJoin(IReadOnlyList<Thread> threads, string what)
    {
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Join(thread, what);
        }
    }

    public static void Halt<T, THandler>(BatchEventProcessor<T, THandler> processor, string what)
        where T : unmanaged
        where THandler : struct, IEventHandler<T>
    {
        processor.Halt();
        Assert.That(processor.Join(Timeout), Is.True, $"Timed out after {Timeout.TotalSeconds} s waiting for processor '{what}' to halt.");
    }
}
