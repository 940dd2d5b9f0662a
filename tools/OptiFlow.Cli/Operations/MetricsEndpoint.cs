using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace OptiFlow.Cli.Operations;

/// <summary>
/// Serves a Prometheus registry as text (<c>GET /metrics</c>, exposition format 0.0.4) on one address and port
/// (<c>--metrics-address</c>, default 127.0.0.1; <c>--metrics-port</c>, 0 for any free port) with Kestrel, whose threads
/// are control threads: a scrape reads the engine's snapshot there (<see cref="EngineMetrics"/>).
/// </summary>
/// <remarks>Binds in <see cref="Start"/>, before the session is created: a port in use is an <see cref="IOException"/>
/// naming the address (exit 5) and nothing else has been created. Dispose stops serving (bounded: 5 s).</remarks>
internal sealed class MetricsEndpoint : IDisposable
{
    private readonly WebApplication _app;

    private MetricsEndpoint(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The address scrapes go to, with the bound port, e.g. <c>http://127.0.0.1:9184/metrics</c>.</summary>
    public Uri Url { get; }

    /// <summary>Binds and starts serving <paramref name="registry"/>.</summary>
    /// <param name="address">The address to listen on.</param>
    /// <param name="port">The port, 0 for any free one.</param>
    /// <param name="registry">What to serve.</param>
    /// <param name="log">Where a failed scrape is logged (Debug).</param>
    /// <returns>The running endpoint.</returns>
    /// <exception cref="IOException">The address and port cannot be bound (in use, not an address of this machine, refused).</exception>
    public static MetricsEndpoint Start(IPAddress address, int port, CollectorRegistry registry, ILogger log)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(address, port));
        var app = builder.Build();
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            try
            {
                await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                OperationsLog.ScrapeFailed(log, e);
                throw;
            }
        });
        var endpoint = new IPEndPoint(address, port);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new IOException($"--metrics-port: cannot listen on {endpoint}: {e.Message}", e);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new IOException($"--metrics-port: cannot listen on {endpoint}: {e.Message}", e);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        return new MetricsEndpoint(app, new Uri(new Uri(bound), "/metrics"));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // A scrape still running when the command ends is cut.
        }

        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
