using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using NUnit.Framework;

namespace OptiFlow.Simulator.Tests.Exchange;

/// <summary>
/// A hand-written WebSocket API client for tests: raw <see cref="ClientWebSocket"/>, JSON written by hand, signatures
/// over the sorted params (binance.md §5.6). Independent of the engine's own trading client on purpose.
/// </summary>
/// <remarks>Every wait is bounded (<see cref="Timeout"/>) and fails the test with a message.</remarks>
internal sealed class WsApiTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _pending = [];
    private Task? _receive;
    private long _nextId = 1;

    /// <summary>Signs a payload for a given key: HMAC hex, or base64 for Ed25519 / RSA.</summary>
    public Func<byte[], string>? Signer { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Whether the server closed or dropped the connection.</summary>
    public bool Closed { get; private set; }

    public static async Task<WsApiTestClient> ConnectAsync(Uri uri)
    {
        var client = new WsApiTestClient();
        using var timeout = new CancellationTokenSource(Timeout);
        await client._socket.ConnectAsync(uri, timeout.Token);
        client._receive = client.ReceiveLoopAsync();
        return client;
    }

    public static Func<byte[], string> HmacSigner(string secret) =>
        payload => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));

    /// <summary>Builds the JSON of a request: params in the given order, values as JSON strings unless numeric (<c>timestamp</c>, <c>recvWindow</c>, <c>orderId</c>).</summary>
    public string Build(object id, string method, IEnumerable<KeyValuePair<string, string>> parameters, bool sign)
    {
        var list = parameters.ToList();
        if (sign)
        {
            if (ApiKey is not null && !list.Exists(p => p.Key == "apiKey"))
            {
                list.Add(new("apiKey", ApiKey));
            }

            var payload = string.Join('&', list.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
            list.Add(new("signature", Signer!(Encoding.UTF8.GetBytes(payload))));
        }

        var json = new StringBuilder();
        json.Append("{\"id\":").Append(id is string s ? "\"" + s + "\"" : Convert.ToString(id, CultureInfo.InvariantCulture));
        json.Append(",\"method\":\"").Append(method).Append("\",\"params\":{");
        json.AppendJoin(',', list.Select(p => "\"" + p.Key + "\":" + (p.Key is "timestamp" or "recvWindow" or "orderId" ? p.Value : "\"" + p.Value + "\"")));
        json.Append("}}");
        return json.ToString();
    }

    public static string NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends a request and waits for the response with its id.</summary>
    public async Task<JsonElement> RequestAsync(string method, IEnumerable<KeyValuePair<string, string>> parameters, bool sign = true, bool withTimestamp = true)
    {
        var id = _nextId++;
        await SendRequestAsync(id, method, parameters, sign, withTimestamp);
        return await ResponseAsync(id);
    }

    public async Task SendRequestAsync(long id, string method, IEnumerable<KeyValuePair<string, string>> parameters, bool sign = true, bool withTimestamp = true)
    {
        var list = parameters.ToList();
        if (withTimestamp && !list.Exists(p => p.Key == "timestamp"))
        {
            list.Add(new("timestamp", NowMs()));
        }

        await SendRawAsync(Build(id, method, list, sign));
    }

    public long NextId() => _nextId++;

    public async Task SendRawAsync(string json)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The response whose <c>id</c> is <paramref name="id"/> (events and other responses are kept for later).</summary>
    public Task<JsonElement> ResponseAsync(long id) =>
        NextAsync(e => e.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt64() == id, $"response {id}");

    /// <summary>The next frame matching <paramref name="match"/>, waiting at most <see cref="Timeout"/>.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        var found = await TryNextAsync(match, timeout ?? Timeout);
        if (found is null)
        {
            Assert.Fail($"Timed out after {(timeout ?? Timeout).TotalSeconds:0.#} s waiting for {what}; kept frames: {string.Join(" | ", _pending.Select(p => p.GetRawText()))}");
        }

        return found!.Value;
    }

    /// <summary>The next frame matching, or null when none came within <paramref name="timeout"/> (for "nothing arrives" checks).</summary>
    public async Task<JsonElement?> TryNextAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        for (var i = 0; i < _pending.Count; i++)
        {
            if (match(_pending[i]))
            {
                var hit = _pending[i];
                _pending.RemoveAt(i);
                return hit;
            }
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cancel.Token);
                if (match(frame))
                {
                    return frame;
                }

                _pending.Add(frame);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>A user data event of type <paramref name="eventType"/> (spot frames wrap it as <c>{"subscriptionId":…,"event":…}</c>).</summary>
    public async Task<JsonElement> EventAsync(string eventType, Func<JsonElement, bool>? match = null)
    {
        var frame = await NextAsync(f => Unwrap(f) is { } e && e.TryGetProperty("e", out var t) && t.GetString() == eventType && (match?.Invoke(e) ?? true), $"event {eventType}");
        return Unwrap(frame)!.Value;
    }

    public static JsonElement? Unwrap(JsonElement frame) =>
        frame.ValueKind != JsonValueKind.Object ? null
        : frame.TryGetProperty("event", out var wrapped) ? wrapped
        : frame.TryGetProperty("e", out _) ? frame
        : null;

    /// <summary>Waits until the server has closed or dropped the connection.</summary>
    public async Task<bool> WaitClosedAsync()
    {
        try
        {
            await _receive!.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            return false;
        }

        return Closed;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Best effort.
        }

        _socket.Abort();
        if (_receive is not null)
        {
            await Task.WhenAny(_receive, Task.Delay(TimeSpan.FromSeconds(2)));
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    using var document = JsonDocument.Parse(message.ToArray());
                    _frames.Writer.TryWrite(document.RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Dropped.
        }

        Closed = true;
        _frames.Writer.TryComplete();
    }
}
