namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>What one depth snapshot request returned.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Body">The REST body (UTF-8 JSON) when <see cref="SnapshotFetchStatus.Ok"/>, else null.</param>
/// <param name="RetryAfter">How long to wait before the next request (429, 418, backing off); zero otherwise.</param>
/// <param name="HttpStatus">The HTTP status code, or 0 when no response arrived.</param>
/// <param name="Elapsed">Request to complete body.</param>
/// <param name="Error">For <see cref="SnapshotFetchStatus.Failed"/>: the request and what went wrong (HTTP status, OS
/// error, timeout), one line; null otherwise.</param>
/// <remarks>Immutable; the body is owned by the caller.</remarks>
public sealed record SnapshotFetch(SnapshotFetchStatus Status, byte[]? Body, TimeSpan RetryAfter, int HttpStatus, TimeSpan Elapsed, string? Error = null);
