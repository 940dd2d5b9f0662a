using System.Runtime.InteropServices;

namespace OptiFlow.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM both ask a long-running verb to stop cleanly: the token is cancelled, the verb finishes
/// its streams (a gzip trailer, the journal's run summary, the final report) and exits with its normal code.
/// </summary>
/// <remarks>Dispose to unregister. A second signal after the first is ignored too: the verb is already stopping.</remarks>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public StopSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled when SIGINT or SIGTERM arrives.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that stopped the verb, or null.</summary>
    public PosixSignal? Received { get; private set; }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here: the process does not die; the verb sees the token and stops cleanly.
        context.Cancel = true;
        Received ??= context.Signal;
        _stop.Cancel();
    }
}
