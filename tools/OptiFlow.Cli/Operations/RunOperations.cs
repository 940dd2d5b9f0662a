using Microsoft.Extensions.Logging;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Monitoring;

namespace OptiFlow.Cli.Operations;

/// <summary>
/// What a <c>run</c> or <c>replay</c> does for its operator, on control threads beside the engine: the log on standard
/// error (<c>--log-level</c>), the progress line of a file run or replay, the status line of a live run and the
/// Prometheus endpoint (<c>--metrics-port</c>).
/// </summary>
/// <remarks>Created by <see cref="Start"/> once every option is checked and before the session is: the metrics port is
/// bound first, so a port in use ends the command (exit 5) before anything is created. Owned by the verb's thread;
/// Dispose stops the endpoint and the log.</remarks>
internal sealed class RunOperations : IDisposable
{
    private readonly OperationsSettings _settings;
    private readonly EngineMetrics? _metrics;
    private readonly MetricsEndpoint? _endpoint;

    private RunOperations(OperationsSettings settings, ErrorOutput error, ILoggerFactory loggers, bool showProgress, EngineMetrics? metrics, MetricsEndpoint? endpoint)
    {
        _settings = settings;
        Error = error;
        Loggers = loggers;
        ShowProgress = showProgress;
        _metrics = metrics;
        _endpoint = endpoint;
        Log = loggers.CreateLogger("optiflow");
    }

    /// <summary>Standard error, shared by the log and the progress line.</summary>
    public ErrorOutput Error { get; }

    /// <summary>The log's factory (<c>--log-level</c> filters it): the live client's connection log comes from here.</summary>
    public ILoggerFactory Loggers { get; }

    /// <summary>The command line's own log.</summary>
    public ILogger Log { get; }

    /// <summary>Whether the progress line is drawn: <c>--progress always</c>, or <c>auto</c> and standard error is the
    /// process's own and a terminal (<see cref="Console.IsErrorRedirected"/> false). Tests and pipes see clean output.</summary>
    public bool ShowProgress { get; }

    /// <summary>The metrics endpoint's address, or null without <c>--metrics-port</c>.</summary>
    public Uri? MetricsUrl => _endpoint?.Url;

    /// <summary>Starts the log and, with <c>--metrics-port</c>, the metrics endpoint.</summary>
    /// <param name="settings">The checked options.</param>
    /// <param name="error">Standard error (the verb's writer).</param>
    /// <returns>The running operations.</returns>
    /// <exception cref="IOException">The metrics port cannot be bound.</exception>
    public static RunOperations Start(OperationsSettings settings, TextWriter error)
    {
        var terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        var show = settings.Progress switch
        {
            ProgressMode.Always => true,
            ProgressMode.Never => false,
            _ => terminal,
        };
        var output = new ErrorOutput(error) { ProgressWidth = terminal ? TerminalWidth() : int.MaxValue };
        var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(settings.LogLevel).AddProvider(new ErrorOutputLoggerProvider(output)));
        EngineMetrics? metrics = null;
        MetricsEndpoint? endpoint = null;
        try
        {
            if (settings.MetricsPort is { } port)
            {
                metrics = new EngineMetrics();
                endpoint = MetricsEndpoint.Start(settings.MetricsAddress, port, metrics.Registry, loggers.CreateLogger("optiflow.metrics"));
            }
        }
        catch
        {
            loggers.Dispose();
            throw;
        }

        var operations = new RunOperations(settings, output, loggers, show, metrics, endpoint);
        if (endpoint is not null)
        {
            OperationsLog.MetricsListening(operations.Log, endpoint.Url);
        }

        return operations;
    }

    /// <summary>Follows a recording session while it publishes: the progress line (when shown) and the metrics.</summary>
    /// <param name="session">The started session.</param>
    /// <param name="label">The verb, printed at the start of the line.</param>
    /// <returns>Dispose when publishing ends: draws the final line and clears it.</returns>
    public IDisposable WatchRecording(EngineSession session, string label)
    {
        _metrics?.Follow(session.Progress);
        return ShowProgress ? new ProgressLine(Error, () => ProgressLine.Recording(label, session.Progress())) : NoWatch.Instance;
    }

    /// <summary>Follows a live session: the status line every <c>--status-interval</c> (unless 0) and the metrics.</summary>
    /// <param name="session">The started session.</param>
    /// <returns>Dispose when the feed has ended (stops the status thread).</returns>
    public IDisposable WatchLive(EngineSession session)
    {
        _metrics?.Follow(session.Progress);
        return _settings.StatusInterval > TimeSpan.Zero ? new StatusReporter(Log, session.Progress, _settings.StatusInterval) : NoWatch.Instance;
    }

    /// <summary>
    /// Runs a replay, following it with the progress line when shown (and the metrics when <paramref name="followMetrics"/>).
    /// </summary>
    /// <param name="operations">The operations, or null (then the replay runs unwatched).</param>
    /// <param name="label">The verb, printed at the start of the line.</param>
    /// <param name="expectedEvents">The events the replay will reach (0 when unknown); read lazily: only when watched.</param>
    /// <param name="followMetrics">Whether the metrics follow the replay (the <c>replay</c> verb) or stay on the session (<c>run</c>).</param>
    /// <param name="replay">Runs the replay with the progress to report to, or null.</param>
    /// <returns>The replay's result.</returns>
    public static ReplayResult Replay(RunOperations? operations, string label, Func<long> expectedEvents, bool followMetrics, Func<ReplayProgress?, ReplayResult> replay)
    {
        var watched = operations is not null && (operations.ShowProgress || (followMetrics && operations._metrics is not null));
        if (!watched)
        {
            return replay(null);
        }

        var progress = new ReplayProgress(expectedEvents());
        if (followMetrics)
        {
            operations!._metrics?.Follow(progress.Read);
        }

        using (operations!.ShowProgress ? new ProgressLine(operations.Error, () => ProgressLine.Replay(label, progress.Read())) : (IDisposable)NoWatch.Instance)
        {
            return replay(progress);
        }
    }

    /// <summary>The terminal's width less one (a line that fills the last column would wrap), or no limit when unknown.</summary>
    private static int TerminalWidth()
    {
        try
        {
            var width = Console.WindowWidth;
            return width > 1 ? width - 1 : int.MaxValue;
        }
        catch (IOException)
        {
            return int.MaxValue;
        }
        catch (PlatformNotSupportedException)
        {
            return int.MaxValue;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _endpoint?.Dispose();
        Loggers.Dispose();
    }

    private sealed class NoWatch : IDisposable
    {
        public static readonly NoWatch Instance = new();

        public void Dispose()
        {
        }
    }
}
