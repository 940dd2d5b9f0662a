using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace OptiFlow.Cli.Operations;

/// <summary>
/// The operations options of <c>run</c> and <c>replay</c>: <c>--progress</c>, <c>--log-level</c>,
/// <c>--metrics-port</c>, <c>--metrics-address</c> and, for live runs, <c>--status-interval</c>; parsed and checked
/// into <see cref="OperationsSettings"/> before anything runs (a bad value is exit 2 with one line naming the option).
/// </summary>
internal sealed class OperationsOptions
{
    private readonly bool _live;

    /// <summary>Creates the options of one verb.</summary>
    /// <param name="live">Whether the verb runs live sessions (adds <c>--status-interval</c>).</param>
    public OperationsOptions(bool live) => _live = live;

    public Option<string> Progress { get; } = new("--progress")
    {
        Description = "A progress line on standard error, redrawn in place every 0.5 s: auto (default: when standard error is a terminal), always, never",
        DefaultValueFactory = _ => "auto",
    };

    public Option<double> StatusInterval { get; } = new("--status-interval")
    {
        Description = "Live: a status line on standard error every SECONDS (frames/s, ring backlog, books, orders); default 5, 0: none",
        DefaultValueFactory = _ => 5,
    };

    public Option<string> LogLevel { get; } = new("--log-level")
    {
        Description = "Standard error's log: trace, debug, information (default), warning or error",
        DefaultValueFactory = _ => "information",
    };

    public Option<int?> MetricsPort { get; } = new("--metrics-port")
    {
        Description = "Serve Prometheus metrics at http://ADDRESS:PORT/metrics while the command runs (0: any free port, printed)",
    };

    public Option<string> MetricsAddress { get; } = new("--metrics-address")
    {
        Description = "The address --metrics-port listens on (default 127.0.0.1; 0.0.0.0 for every interface)",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    /// <summary>The options to add to the verb.</summary>
    public IEnumerable<Option> All => _live
        ? [Progress, StatusInterval, LogLevel, MetricsPort, MetricsAddress]
        : [Progress, LogLevel, MetricsPort, MetricsAddress];

    /// <summary>Parses <c>--log-level</c>'s value.</summary>
    /// <param name="value">trace, debug, information, warning or error (any case).</param>
    /// <returns>The level.</returns>
    /// <exception cref="UsageException">Any other value.</exception>
    public static LogLevel ParseLogLevel(string? value) => value?.ToLowerInvariant() switch
    {
        "trace" => Microsoft.Extensions.Logging.LogLevel.Trace,
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "information" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        _ => throw new UsageException($"--log-level must be trace, debug, information, warning or error, not '{value}'"),
    };

    /// <summary>Checks every value (nothing is started).</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="live">Whether this run is live (<c>--status-interval</c> applies only then).</param>
    /// <returns>The settings.</returns>
    /// <exception cref="UsageException">A value is out of range or malformed, <c>--status-interval</c> was given for a run
    /// that is not live, or <c>--progress</c> for one that is.</exception>
    public OperationsSettings Parse(ParseResult parse, bool live)
    {
        var progress = parse.GetValue(Progress)?.ToLowerInvariant() switch
        {
            "auto" => ProgressMode.Auto,
            "always" => ProgressMode.Always,
            "never" => ProgressMode.Never,
            var other => throw new UsageException($"--progress must be auto, always or never, not '{other}'"),
        };
        if (live && parse.GetResult(Progress) is { Implicit: false })
        {
            throw new UsageException("--progress is for runs on FILE and replays; a live run (--venue) shows --status-interval instead");
        }

        var interval = TimeSpan.Zero;
        if (_live)
        {
            var seconds = parse.GetValue(StatusInterval);
            if (!live && parse.GetResult(StatusInterval) is { Implicit: false })
            {
                throw new UsageException("--status-interval is for live runs (--venue); a run on FILE shows --progress instead");
            }

            if (!double.IsFinite(seconds) || seconds < 0 || seconds > 86_400)
            {
                throw new UsageException($"--status-interval must be 0 (none) to 86400 seconds, not {seconds.ToString(CultureInfo.InvariantCulture)}");
            }

            interval = live ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        }

        var port = parse.GetValue(MetricsPort);
        if (port is < 0 or > 65535)
        {
            throw new UsageException($"--metrics-port must be 0 (any free port) to 65535, not {port}");
        }

        var addressText = parse.GetValue(MetricsAddress);
        if (!IPAddress.TryParse(addressText, out var address))
        {
            throw new UsageException($"--metrics-address must be an IP address such as 127.0.0.1 or ::1, not '{addressText}'");
        }

        if (port is null && parse.GetResult(MetricsAddress) is { Implicit: false })
        {
            throw new UsageException("--metrics-address needs --metrics-port");
        }

        return new OperationsSettings(progress, interval, ParseLogLevel(parse.GetValue(LogLevel)), address, port);
    }
}
