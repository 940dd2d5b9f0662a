using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// Fetches REST depth snapshots (<c>GET /api/v3/depth</c>, <c>/fapi/v1/depth</c>, binance.md §3.3) and keeps Binance's
/// rate-limit rules: the used weight is read from <c>X-MBX-USED-WEIGHT-1M</c>; after a 429 or 418 no request is sent
/// until its <c>Retry-After</c> has elapsed (binance.md §6.1: continuing after a 429 earns a 418 ban).
/// </summary>
/// <remarks>Runs on the control thread, never on a receive thread; allocates per request (HTTP, body). Time is read from
/// a <see cref="TimeProvider"/> so the back-off can be tested with a fake clock. Not thread-safe: one caller at a time.
/// Errors: network failures and timeouts become <see cref="SnapshotFetchStatus.Failed"/>, never exceptions, except
/// <see cref="OperationCanceledException"/> when the caller cancels.</remarks>
public sealed class DepthSnapshotClient
{
    /// <summary>Back-off after a 429 without <c>Retry-After</c>.</summary>
    public static readonly TimeSpan DefaultTooManyRequestsBackoff = TimeSpan.FromSeconds(60);

    /// <summary>Back-off after a 418 without <c>Retry-After</c>: Binance's shortest ban, 2 minutes (binance.md §6.1).</summary>
    public static readonly TimeSpan DefaultBanBackoff = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http;
    private readonly Uri _restBase;
    private readonly string _depthPath;
    private readonly TimeProvider _time;

    /// <summary>Creates a snapshot client.</summary>
    /// <param name="http">The HTTP client (owned by the caller).</param>
    /// <param name="restBase">REST base address, e.g. <c>https://fapi.binance.com</c> or the simulator's.</param>
    /// <param name="depthPath">The depth path, e.g. <c>/fapi/v1/depth</c>.</param>
    /// <param name="time">The clock for back-off; <see cref="TimeProvider.System"/> when null.</param>
    public DepthSnapshotClient(HttpClient http, Uri restBase, string depthPath, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(restBase);
        _http = http;
        _restBase = restBase;
        _depthPath = depthPath;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The last <c>X-MBX-USED-WEIGHT-1M</c> seen (request weight used this minute, per IP); -1 before any.</summary>
    public long UsedWeight1M { get; private set; } = -1;

    /// <summary>No request is sent before this instant (set by a 429 or 418).</summary>
    public DateTimeOffset BackoffUntil { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>HTTP requests actually sent.</summary>
    public long RequestsSent { get; private set; }

    /// <summary>429 answers received.</summary>
    public long TooManyRequests { get; private set; }

    /// <summary>418 answers received.</summary>
    public long Bans { get; private set; }

    /// <summary>Fetches the snapshot of <paramref name="symbol"/>, unless a back-off is in force.</summary>
    /// <param name="symbol">Upper-case symbol, e.g. <c>BTCUSDT</c>.</param>
    /// <param name="limit">Levels per side (spot up to 5000; futures 5…1000).</param>
    /// <param name="cancellation">Cancels the request.</param>
    /// <returns>The outcome; <see cref="SnapshotFetch.RetryAfter"/> tells how long to wait after 429/418/back-off.</returns>
    public async Task<SnapshotFetch> FetchAsync(string symbol, int limit, CancellationToken cancellation)
    {
        var now = _time.GetUtcNow();
        if (now < BackoffUntil)
        {
            return new SnapshotFetch(SnapshotFetchStatus.BackingOff, null, BackoffUntil - now, 0, TimeSpan.Zero);
        }

        var uri = new Uri(_restBase, string.Create(CultureInfo.InvariantCulture, $"{_depthPath}?symbol={Uri.EscapeDataString(symbol)}&limit={limit}"));
        var started = Stopwatch.GetTimestamp();
        RequestsSent++;
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellation);
            if (response.Headers.TryGetValues("X-MBX-USED-WEIGHT-1M", out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
            {
                UsedWeight1M = weight;
            }

            var status = (int)response.StatusCode;
            if (status is 429 or 418)
            {
                var banned = status == 418;
                if (banned)
                {
                    Bans++;
                }
                else
                {
                    TooManyRequests++;
                }

                var retryAfter = RetryAfterOf(response, banned ? DefaultBanBackoff : DefaultTooManyRequestsBackoff);
                BackoffUntil = _time.GetUtcNow() + retryAfter;
                return new SnapshotFetch(banned ? SnapshotFetchStatus.Banned : SnapshotFetchStatus.TooManyRequests, null, retryAfter, status, Stopwatch.GetElapsedTime(started));
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new SnapshotFetch(SnapshotFetchStatus.Failed, null, TimeSpan.Zero, status, Stopwatch.GetElapsedTime(started),
                    string.Create(CultureInfo.InvariantCulture, $"GET {uri}: HTTP {status} {response.ReasonPhrase}"));
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellation);
            return new SnapshotFetch(SnapshotFetchStatus.Ok, body, TimeSpan.Zero, status, Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException e)
        {
            var cause = e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
            return new SnapshotFetch(SnapshotFetchStatus.Failed, null, TimeSpan.Zero, 0, Stopwatch.GetElapsedTime(started), $"GET {uri}: {cause}");
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            // HttpClient.Timeout.
            return new SnapshotFetch(SnapshotFetchStatus.Failed, null, TimeSpan.Zero, 0, Stopwatch.GetElapsedTime(started),
                string.Create(CultureInfo.InvariantCulture, $"GET {uri}: no answer within {_http.Timeout.TotalSeconds:0.#} s"));
        }
    }

    private TimeSpan RetryAfterOf(HttpResponseMessage response, TimeSpan fallback)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return fallback;
    }
}
