using System.Runtime.InteropServices;
using OptiFlow.Engine.Affinity;
using OptiFlow.Engine.Tests.Support;

namespace OptiFlow.Engine.Tests;

public partial class CpuAffinityTests
{
    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    private static string ReadCpusAllowedList(string statusPath) =>
        File.ReadLines(statusPath)
            .Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..]
            .Trim();

    [SetUp]
    public void RequireLinux() => Assume.That(OperatingSystem.IsLinux(), "CPU pinning is Linux-only");

    [Test]
    public void ShouldReturnTheProcessMask_WhenReadingAllowedCpus()
    {
        // Arrange
        var expected = ReadCpusAllowedList("/proc/self/status");

        // Act
        var allowed = CpuAffinity.GetAllowedCpus();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allowed, Is.Not.Empty);
            Assert.That(allowed, Is.Ordered.Ascending);
            Assert.That(CpuAffinity.FormatList(allowed), Is.EqualTo(expected));
        });
    }

    [Test]
    public void ShouldPinTheCallingThreadOnly_WhenPinningToAnAllowedCpu()
    {
        // Arrange
        var allowed = CpuAffinity.GetAllowedCpus();
        var cpu = allowed[^1];
        string? threadList = null;
        int[]? seenFromThread = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(cpu);
                seenFromThread = CpuAffinity.GetAllowedCpus();
                threadList = ReadCpusAllowedList($"/proc/self/task/{GetTid()}/status");
            }
            catch (CpuAffinityException e)
            {
                failure = e;
            }
        });

        // Act
        thread.Start();
        Await.Join(thread, "pinned thread");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(threadList, Is.EqualTo(cpu.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(seenFromThread, Is.EqualTo(new[] { cpu }));
            Assert.That(CpuAffinity.GetAllowedCpus(), Is.EqualTo(allowed), "the test thread's own mask is unchanged");
        });
    }

    [Test]
    public void ShouldPinToTheWholeList_WhenPinningToACpuList()
    {
        // Arrange: every allowed CPU but the first when there are several (a proper subset when possible).
        var allowed = CpuAffinity.GetAllowedCpus();
        var list = allowed.Length > 2 ? allowed[1..] : allowed;
        string? threadList = null;
        var thread = new Thread(() =>
        {
            CpuAffinity.PinCurrentThread(list);
            threadList = ReadCpusAllowedList($"/proc/self/task/{GetTid()}/status");
        });

        // Act
        thread.Start();
        Await.Join(thread, "thread pinned to a list");

        // Assert
        Assert.That(threadList, Is.EqualTo(CpuAffinity.FormatList(list)));
    }

    [Test]
    public void ShouldRunTheProcessorThreadOnTheList_WhenStartedWithACpuList()
    {
        // Arrange
        var allowed = CpuAffinity.GetAllowedCpus();
        var ring = new RingBuffer<StubEvent>(8, new OptiFlow.Engine.WaitStrategies.YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new OptiFlow.Engine.Processing.BatchEventProcessor<StubEvent, AffinityReadingHandler>(
            ring, ring.Sequencer.NewBarrier(), new AffinityReadingHandler(done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);

        // Act
        processor.Start("pinned-list", allowed);
        try
        {
            Producer.Publish(ring, 1);
            Await.Signal(done, "the handler's read-back");
        }
        finally
        {
            Await.Halt(processor, "pinned-list");
        }

        // Assert
        Assert.That(processor.Handler.CpusAllowedList, Is.EqualTo(CpuAffinity.FormatList(allowed)));
    }

    /// <summary>Reads the processor thread's own Cpus_allowed_list on its first event.</summary>
    private struct AffinityReadingHandler(ManualResetEventSlim done) : OptiFlow.Engine.Processing.IEventHandler<StubEvent>
    {
        public string? CpusAllowedList;

        public readonly void OnStart()
        {
        }

        public readonly void OnBatchStart(long firstSequence, long count)
        {
        }

        public void OnEvent(ref StubEvent data, long sequence, bool endOfBatch)
        {
            CpusAllowedList = ReadCpusAllowedList($"/proc/self/task/{GetTid()}/status");
            done.Set();
        }

        public readonly void OnShutdown()
        {
        }
    }

    [TestCase(1023)]
    [TestCase(4096)]
    [TestCase(-1)]
    public void ShouldThrowNamingTheAllowedList_WhenPinningOutsideTheMask(int cpu)
    {
        // Arrange
        var allowed = CpuAffinity.GetAllowedCpus();
        Assume.That(allowed, Does.Not.Contain(cpu));
        CpuAffinityException? caught = null;
        var thread = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(cpu);
            }
            catch (CpuAffinityException e)
            {
                caught = e;
            }
        });

        // Act
        thread.Start();
        Await.Join(thread, "pinning thread");

        // Assert
        Assert.That(caught, Is.Not.Null.And.Message.Contains(CpuAffinity.FormatList(allowed)).And.Message.Contains($"CPU {cpu}"));
    }

    [TestCase(new int[0], "")]
    [TestCase(new[] { 3 }, "3")]
    [TestCase(new[] { 0, 1, 2, 3, 6 }, "0-3,6")]
    [TestCase(new[] { 0, 2, 4, 5 }, "0,2,4-5")]
    public void ShouldFormatTasksetList_WhenFormattingCpus(int[] cpus, string expected) =>
        Assert.That(CpuAffinity.FormatList(cpus), Is.EqualTo(expected));
}
