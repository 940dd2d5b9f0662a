using System.Net;
using Microsoft.Extensions.Logging;

namespace OptiFlow.Cli.Operations;

/// <summary>What the operations options asked for, parsed and checked (<see cref="OperationsOptions.Parse"/>).</summary>
/// <param name="Progress">When to draw the progress line.</param>
/// <param name="StatusInterval">Live: time between status lines; <see cref="TimeSpan.Zero"/> for none.</param>
/// <param name="LogLevel">The log's minimum level.</param>
/// <param name="MetricsAddress">Where the metrics endpoint listens.</param>
/// <param name="MetricsPort">Its port (0: any free one), or null for no endpoint.</param>
internal sealed record OperationsSettings(ProgressMode Progress, TimeSpan StatusInterval, LogLevel LogLevel, IPAddress MetricsAddress, int? MetricsPort);
