using System.Runtime.InteropServices;

namespace OptiFlow.Journal.Segments;

/// <summary>
/// Pre-faults a writable segment mapping on a background thread-pool thread, ahead of the writer: Linux
/// <c>madvise(MADV_POPULATE_WRITE)</c> (kernel 5.14+) in 1 MiB steps, so the writer's first store to each 4 KiB page
/// does not take a page fault (a file-backed shared mapping faults on the first write to every page, and the fault runs
/// the file system's <c>page_mkwrite</c>: perf/ARCHIVE.md "Journal"). A segment prepared in the background
/// (<see cref="SegmentPreparer"/>) is pre-faulted inline, on the preparer's thread, instead.
/// </summary>
/// <remarks>
/// <c>MADV_POPULATE_WRITE</c> establishes writable page-table entries "as if manually writing to each page" without
/// touching the bytes, so it is safe while the writer and readers use the same pages. Runs once per segment; cold path
/// (allocates a task). <see cref="Stop"/> is called by the segment's <c>Dispose</c> before it unmaps and waits for the
/// current step (at most 1 MiB of faults). Progress and the outcome are published with volatile fields: thread-safe to
/// read from any thread. Failures are reported, never hidden: on another OS, or a kernel without the advice
/// (<c>EINVAL</c>), <see cref="Error"/> says so and the writer simply takes the faults.
/// </remarks>
internal sealed unsafe partial class SegmentPrefaulter
{
    /// <summary>Bytes advised per step: the granularity of <see cref="Stop"/>.</summary>
    public const int StepBytes = 1 << 20;

    private const int MadvisePopulateWrite = 23; // MADV_POPULATE_WRITE, linux/mman.h (since 5.14)

    private readonly byte* _base;
    private readonly int _size;
    private readonly Task _task;
    private readonly TaskCompletionSource? _inlineRun; // completes _task when run inline by the segment preparer
    private volatile bool _stop;
    private long _bytesDone;
    private volatile string? _error;

    private SegmentPrefaulter(byte* mappingBase, int size, bool inline)
    {
        _base = mappingBase;
        _size = size;
        if (inline)
        {
            _inlineRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _task = _inlineRun.Task;
        }
        else
        {
            _task = Task.Run(Run);
        }
    }

    /// <summary>Bytes of the mapping pre-faulted so far (from its start).</summary>
    public long BytesDone => Interlocked.Read(ref _bytesDone);

    /// <summary>Why pre-faulting stopped early (OS, kernel or errno); null while running or after it covered the mapping.</summary>
    public string? Error => _error;

    /// <summary>True once the background step loop has ended (covered, stopped or failed).</summary>
    public bool IsCompleted => _task.IsCompleted;

    /// <summary>Starts pre-faulting <paramref name="size"/> bytes at <paramref name="mappingBase"/> (page aligned).</summary>
    /// <param name="mappingBase">Start of a writable shared mapping.</param>
    /// <param name="size">Its length in bytes.</param>
    /// <returns>The running prefaulter.</returns>
    public static SegmentPrefaulter Start(byte* mappingBase, int size) => new(mappingBase, size, inline: false);

    /// <summary>
    /// Creates a prefaulter for <paramref name="size"/> bytes at <paramref name="mappingBase"/> that runs on the calling
    /// thread (<see cref="RunInline"/>): the <see cref="SegmentPreparer"/> pre-faults a segment before the writer sees it.
    /// </summary>
    /// <param name="mappingBase">Start of a writable shared mapping.</param>
    /// <param name="size">Its length in bytes.</param>
    /// <returns>The prefaulter, not yet run.</returns>
    public static SegmentPrefaulter CreateInline(byte* mappingBase, int size) => new(mappingBase, size, inline: true);

    /// <summary>Runs the step loop of an inline prefaulter on the calling thread; returns when it covered the mapping, was asked to stop, or failed.</summary>
    public void RunInline()
    {
        try
        {
            Run();
        }
        finally
        {
            _inlineRun!.SetResult();
        }
    }

    /// <summary>Asks the loop to stop after its current step, without waiting (thread-safe).</summary>
    public void RequestStop() => _stop = true;

    /// <summary>Asks the loop to stop and waits until it has (before the mapping is unmapped).</summary>
    /// <remarks>An inline prefaulter is waited for until its run ends (its preparer always runs it).</remarks>
    public void Stop()
    {
        _stop = true;
        _task.Wait();
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the loop to end.</summary>
    /// <param name="timeout">Bound on the wait.</param>
    /// <returns>Whether it ended.</returns>
    public bool Wait(TimeSpan timeout) => _task.Wait(timeout);

    private void Run()
    {
        if (!OperatingSystem.IsLinux())
        {
            _error = $"pre-faulting needs Linux madvise(MADV_POPULATE_WRITE); not available on {RuntimeInformation.OSDescription}";
            return;
        }

        for (var offset = 0; offset < _size && !_stop; offset += StepBytes)
        {
            var length = Math.Min(StepBytes, _size - offset);
            if (Madvise((nint)(_base + offset), (nuint)length, MadvisePopulateWrite) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                _error = errno == 22
                    ? "madvise(MADV_POPULATE_WRITE) is not supported by this kernel (EINVAL; it needs Linux 5.14+): pages fault on first write"
                    : $"madvise(MADV_POPULATE_WRITE) failed at offset {offset} with errno {errno}: the rest of the segment faults on first write";
                return;
            }

            Interlocked.Add(ref _bytesDone, length);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
