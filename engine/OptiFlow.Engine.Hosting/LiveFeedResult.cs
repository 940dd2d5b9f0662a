using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Core;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// How a live session's feed went (<see cref="SessionResult.Live"/>): how the client finished, why it failed if it did,
/// and every symbol's book combined with its feed, so a program or the CLI can tell a live book from a stale one and a
/// working feed from a dead endpoint.
/// </summary>
/// <remarks>Built once by <see cref="EngineSession.Stop"/> after the client has stopped; immutable afterwards.</remarks>
public sealed class LiveFeedResult
{
    /// <summary>How the client finished: the venue ended the data, it was stopped, or it failed.</summary>
    public required MarketDataClientCompletion Completion { get; init; }

    /// <summary>The stream endpoints, one per connection, without the subscription query.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>When <see cref="Completion"/> is <see cref="MarketDataClientCompletion.Failed"/>: the endpoint that gave up
    /// and its last OS or protocol error; otherwise null.</summary>
    public required ConnectionFailure? Failure { get; init; }

    /// <summary>The latest failed attempt or lost connection of the session, or null.</summary>
    public required ConnectionFailure? LastFailure { get; init; }

    /// <summary>Frames received that decoded (or were well-formed frames of streams not decoded); decode errors excluded.</summary>
    public required long GoodFrames { get; init; }

    /// <summary>Successful connects over all connections.</summary>
    public required long Connects { get; init; }

    /// <summary>Failed connection attempts over all connections.</summary>
    public required long FailedAttempts { get; init; }

    /// <summary>Messages over <see cref="MarketDataClientOptions.MaxMessageSize"/>, each closed with 1009.</summary>
    public required long OversizedMessages { get; init; }

    /// <summary>Every subscribed symbol's book with its feed, in the order the symbols were given.</summary>
    public required IReadOnlyList<LiveBookStatus> Books { get; init; }

    /// <summary>Whether not one good frame arrived in the whole session.</summary>
    public bool ReceivedNothing => GoodFrames == 0;

    /// <summary>Whether the feed failed the session: the client gave up, nothing was received, or a book's feed was down
    /// or never arrived at the end. A book only <see cref="SymbolFeedState.Silent"/> is stale but not a failed feed.</summary>
    public bool FeedFailed =>
        Completion == MarketDataClientCompletion.Failed
        || ReceivedNothing
        || Books.Any(b => b.Feed.State is SymbolFeedState.Down or SymbolFeedState.NeverReceived);

    /// <summary>Whether every book ended live (synced and its feed current).</summary>
    public bool AllBooksLive => Books.All(b => b.IsLive);

    /// <summary>Reads a stopped client and the core.</summary>
    /// <param name="client">The client, stopped.</param>
    /// <param name="core">The core, stopped.</param>
    /// <returns>The result (allocates).</returns>
    public static LiveFeedResult From(MarketDataClient client, MarketCore core)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(core);
        var books = new List<LiveBookStatus>(client.Counters.Count);
        foreach (var counters in client.Counters)
        {
            var state = core.StateOf(counters.SymbolId);
            books.Add(new LiveBookStatus(counters.Symbol, counters.SymbolId, state?.SyncState ?? BookSyncState.AwaitingSnapshot, client.FeedStatusOf(counters.SymbolId)));
        }

        return new LiveFeedResult
        {
            Completion = client.Completion,
            Endpoints = client.Endpoints,
            Failure = client.Failure,
            LastFailure = client.LastFailure,
            GoodFrames = client.Frames - client.DecodeErrors,
            Connects = client.Connects,
            FailedAttempts = client.FailedConnectAttempts,
            OversizedMessages = client.OversizedMessages,
            Books = books,
        };
    }
}
