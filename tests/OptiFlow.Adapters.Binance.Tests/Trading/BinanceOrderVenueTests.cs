using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using OptiFlow.Adapters.Binance.Tests.Trading.Support;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Gateway;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests.Trading;

/// <summary>
/// <see cref="BinanceOrderVenue"/> against a scripted loopback WebSocket API (<see cref="FakeWsApiServer"/>): handshake and
/// signing, acks, fills from user data, rejects, rate limits, unknown outcomes and their reconciliation, reconnects.
/// Every wait is bounded; nothing asserts on time.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BinanceOrderVenueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const long Scale = FixedPoint.Scale;

    private FakeWsApiServer _server = null!;
    private RecordingReportSink _sink = null!;
    private RateBudget _budget = null!;
    private SymbolTable _symbols = null!;
    private int _btc;

    [SetUp]
    public void SetUp()
    {
        _server = new FakeWsApiServer();
        _sink = new RecordingReportSink();
        _budget = new RateBudget([new RateLimitRule(RateLimitKind.Orders, 10 * RateLimitRule.SecondMs, 50), new RateLimitRule(RateLimitKind.RequestWeight, RateLimitRule.MinuteMs, 6000)]);
        _symbols = new SymbolTable();
        _btc = _symbols.GetOrAdd("BTCUSDT");
        _symbols.Freeze();
    }

    [TearDown]
    public void TearDown() => _server.Dispose();

    [TestCase(true)]
    [TestCase(false)]
    public void ShouldLogOnWithEd25519AndSubscribeUserData_WhenKeyIsEd25519(bool omitSignatureAfterLogon)
    {
        // Arrange
        using var credentials = ApiCredentials.FromPrivateKeyPem(RequestSignerTests.SpotApiKey, RequestSignerTests.Ed25519Pem);
        using var venue = Create(credentials, Market.Spot, omitSignatureAfterLogon: omitSignatureAfterLogon);

        // Act
        venue.Start(_sink);
        Place(venue, 1);
        PollUntil(venue, () => _sink.Reports.Length == 1, "the ack");

        // Assert
        var methods = _server.Requests.Select(r => r.Method).ToArray();
        Assert.That(methods[..3], Is.EqualTo(new[] { "time", "session.logon", "userDataStream.subscribe" }));
        var logon = _server.RequestsOf("session.logon").Single();
        using var publicKey = Ed25519PublicKey();
        Assert.Multiple(() =>
        {
            Assert.That(logon.Param("apiKey"), Is.EqualTo(RequestSignerTests.SpotApiKey));
            Assert.That(logon.SignedPayload, Does.StartWith($"apiKey={RequestSignerTests.SpotApiKey}&recvWindow=5000&timestamp="));
            Assert.That(SignatureAlgorithm.Ed25519.Verify(publicKey.Key, Encoding.UTF8.GetBytes(logon.SignedPayload), Convert.FromBase64String(logon.Param("signature"))), Is.True, "logon signature");
            var place = _server.RequestsOf("order.place").Single();
            Assert.That(place.Param("newClientOrderId"), Is.EqualTo("of-1"));
            Assert.That(place.Param("timestamp"), Is.Not.Empty, "timestamp stays on SIGNED requests after logon (binance.md §5.5)");
            if (omitSignatureAfterLogon)
            {
                Assert.That(place.Params.Keys, Has.None.EqualTo("signature").And.None.EqualTo("apiKey"), "the session's key authorises the order");
            }
            else
            {
                Assert.That(SignatureAlgorithm.Ed25519.Verify(publicKey.Key, Encoding.UTF8.GetBytes(place.SignedPayload), Convert.FromBase64String(place.Param("signature"))), Is.True, "order signature");
            }
        });
    }

    [Test]
    public void ShouldSignEveryRequestWithHmac_WhenKeyIsHmac()
    {
        // Arrange
        using var credentials = ApiCredentials.FromHmacSecret(RequestSignerTests.SpotApiKey, RequestSignerTests.SpotSecret);
        using var venue = Create(credentials, Market.Spot);

        // Act
        venue.Start(_sink);
        Place(venue, 1);
        PollUntil(venue, () => _sink.Reports.Length == 1, "the ack");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(_server.RequestsOf("session.logon"), Is.Empty, "HMAC keys cannot log on (binance.md §5.5)");
            var subscribe = _server.RequestsOf("userDataStream.subscribe.signature").Single();
            Assert.That(subscribe.Param("signature"), Is.EqualTo(Hmac(subscribe.SignedPayload)));
            var place = _server.RequestsOf("order.place").Single();
            Assert.That(place.Param("signature"), Is.EqualTo(Hmac(place.SignedPayload)));
            Assert.That(place.Params.Keys, Is.SupersetOf(new[] { "apiKey", "newClientOrderId", "price", "quantity", "recvWindow", "side", "symbol", "timeInForce", "timestamp", "type" }));
        });
    }

    [Test]
    public void ShouldReportAckThenFillsFromUserData_WhenOrderIsPlaced()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        venue.Start(_sink);
        var api = _server.Connections.Single();

        // Act
        Place(venue, 7);
        PollUntil(venue, () => _sink.Reports.Length == 1 && venue.InFlight == 0, "the ack");
        api.Send(FakeReplies.SpotExecution("of-7", "NEW", "NEW", "0", "0", "0", "0", -1, false));
        api.Send(FakeReplies.SpotExecution("of-7", "TRADE", "PARTIALLY_FILLED", "0.004", "0.004", "49999.5", "0.0199998", 101, true));
        api.Send(FakeReplies.SpotExecution("of-7", "TRADE", "PARTIALLY_FILLED", "0.004", "0.004", "49999.5", "0.0199998", 101, true)); // duplicate
        api.Send(FakeReplies.SpotExecution("web_abc", "TRADE", "FILLED", "1", "1", "1", "0", 5, false)); // not ours
        api.Send(FakeReplies.SpotExecution("of-7", "TRADE", "FILLED", "0.006", "0.01", "50000", "0.03", 102, false));
        PollUntil(venue, () => _sink.Reports.Length == 3, "the fills");

        // Assert
        var r = _sink.Reports;
        Assert.Multiple(() =>
        {
            Assert.That(r.Select(x => x.Status), Is.EqualTo(new[] { OrderStatus.New, OrderStatus.PartiallyFilled, OrderStatus.Filled }));
            Assert.That(r.All(x => x.Origin == ExecutionReportOrigin.Venue && x.ClientOrderId == 7 && x.SymbolId == _btc), Is.True);
            Assert.That(r[0].TransactionTimeMs, Is.EqualTo(1700000000123));
            Assert.That(r[1].LastPrice, Is.EqualTo(49_999_50_000_000));
            Assert.That(r[1].LastQuantity, Is.EqualTo(400_000));
            Assert.That(r[1].CumulativeQuantity, Is.EqualTo(400_000));
            Assert.That(r[1].Commission, Is.EqualTo(1_999_980));
            Assert.That(r[1].TradeId, Is.EqualTo(101));
            Assert.That(r[1].IsMaker, Is.True);
            Assert.That(r[1].EventTimeMs, Is.EqualTo(1700000001000));
            Assert.That(r[1].TransactionTimeMs, Is.EqualTo(1700000000999));
            Assert.That(r[2].LastQuantity, Is.EqualTo(600_000));
            Assert.That(r[2].CumulativeQuantity, Is.EqualTo(1_000_000));
            Assert.That(r[2].RemainingQuantity, Is.Zero);
            Assert.That(venue.Counters.ForeignEvents, Is.EqualTo(1));
            Assert.That(venue.Counters.DuplicateEvents, Is.EqualTo(2), "the user-data NEW after the ack, and the repeated trade");
        });
    }

    [Test]
    public void ShouldReportRejectWithCodeAndObserveRateLimits_WhenVenueRefuses()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        _server.OnRequest = (c, r) => Reply(c, r, "order.place", FakeReplies.Error(r.Id, 400, -2010, "Account has insufficient balance for requested action."));
        venue.Start(_sink);

        // Act: the budget's windows are calendar-aligned (10 s, 1 min); an attempt that straddles a boundary could read
        // the next window's count, so it is repeated (each attempt takes milliseconds).
        long nowMs = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Place(venue, 3 + attempt);
            PollUntil(venue, () => _sink.Reports.Length == attempt + 1 && venue.InFlight == 0, "the reject");
            venue.Poll(MonotonicClock.NowNs, _budget);
            nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (startMs / RateLimitRule.MinuteMs == nowMs / RateLimitRule.MinuteMs && startMs / 10_000 == nowMs / 10_000)
            {
                break;
            }
        }

        // Assert
        var report = _sink.Reports[0];
        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(OrderStatus.Rejected));
            Assert.That(report.Reason, Is.EqualTo(ExecutionReason.VenueRejected));
            Assert.That(report.VenueErrorCode, Is.EqualTo(-2010));
            Assert.That(report.Origin, Is.EqualTo(ExecutionReportOrigin.Venue));
            Assert.That(report.ClientOrderId, Is.EqualTo(3));
            Assert.That(_budget.Count(0, nowMs), Is.EqualTo(13), "ORDERS 10 s count from rateLimits (binance.md §6.3)");
            Assert.That(_budget.Count(1, nowMs), Is.EqualTo(322), "REQUEST_WEIGHT 1 min count");
        });
    }

    [Test]
    public void ShouldReportRateLimitedAndBackOff_WhenVenueAnswers429()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        var retryAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 60_000;
        _server.OnRequest = (c, r) => Reply(c, r, "order.place", FakeReplies.Error(r.Id, 429, -1015, "Too many new orders.", $"{{\"retryAfter\":{retryAt}}}"));
        venue.Start(_sink);

        // Act
        Place(venue, 4);
        PollUntil(venue, () => _sink.Reports.Length == 1 && _budget.BackOffUntilMs > 0, "the 429");

        // Assert
        var report = _sink.Reports.Single();
        Assert.Multiple(() =>
        {
            Assert.That(report.Reason, Is.EqualTo(ExecutionReason.RateLimited));
            Assert.That(report.VenueErrorCode, Is.EqualTo(-1015));
            Assert.That(_budget.Blocked(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), Is.EqualTo(RiskReason.TooManyRequestsBackOff));
            Assert.That(_budget.BackOffUntilMs, Is.EqualTo(retryAt).Within(5_000), "retryAfter, less the server-time offset");
        });
    }

    [Test]
    public void ShouldBanInBudget_WhenVenueAnswers418()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        var until = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 120_000;
        _server.OnRequest = (c, r) => Reply(c, r, "order.place", FakeReplies.Error(r.Id, 418, -1003, "Way too many requests; IP banned.", $"{{\"serverTime\":1,\"retryAfter\":{until}}}"));
        venue.Start(_sink);

        // Act
        Place(venue, 4);
        PollUntil(venue, () => _sink.Reports.Length == 1 && _budget.BannedUntilMs > 0, "the 418");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(_sink.Reports.Single().Reason, Is.EqualTo(ExecutionReason.RateLimited));
            Assert.That(_budget.Blocked(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), Is.EqualTo(RiskReason.IpBanned));
        });
    }

    [TestCase("NEW", "0", OrderStatus.New, 0L)]
    [TestCase("FILLED", "0.01000000", OrderStatus.Filled, 1_000_000L)]
    public void ShouldReconcileWithOrderStatus_WhenResponseTimesOut(string venueStatus, string executed, OrderStatus expected, long expectedFill)
    {
        // Arrange: the venue never answers order.place; it answers order.status with the order.
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot, requestTimeout: TimeSpan.FromSeconds(1));
        _server.OnRequest = (c, r) => r.Method == "order.place"
            || Reply(c, r, "order.status", FakeReplies.OrderStatus(r, venueStatus, "50000.00000000", "0.01000000", executed, executed == "0" ? "0" : "500.00000000"));
        venue.Start(_sink);

        // Act
        Place(venue, 9);
        PollUntil(venue, () => _sink.Reports.Length == 1 && venue.InFlight == 0, "the reconciliation");

        // Assert
        var report = _sink.Reports.Single();
        Assert.Multiple(() =>
        {
            Assert.That(_server.RequestsOf("order.place"), Has.Length.EqualTo(1), "never re-sent");
            Assert.That(_server.RequestsOf("order.status").Single().Param("origClientOrderId"), Is.EqualTo("of-9"));
            Assert.That(report.Origin, Is.EqualTo(ExecutionReportOrigin.Reconciliation));
            Assert.That(report.Status, Is.EqualTo(expected));
            Assert.That(report.ClientOrderId, Is.EqualTo(9));
            Assert.That(report.LastQuantity, Is.EqualTo(expectedFill));
            Assert.That(report.LastPrice, Is.EqualTo(expectedFill > 0 ? 50_000 * Scale : 0), "average price = cummulativeQuoteQty / executedQty");
            Assert.That(venue.Counters.UnknownOutcomes, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldReportNotFoundAfterUnknownOutcome_WhenTimedOutOrderIsUnknownToVenue()
    {
        // Arrange: no answer to order.place; order.status answers -2013 (the default).
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot, requestTimeout: TimeSpan.FromSeconds(1));
        _server.OnRequest = (_, r) => r.Method == "order.place";
        venue.Start(_sink);

        // Act
        Place(venue, 11);
        PollUntil(venue, () => _sink.Reports.Length == 1 && venue.InFlight == 0, "the reconciliation");

        // Assert
        var report = _sink.Reports.Single();
        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(OrderStatus.Rejected));
            Assert.That(report.Reason, Is.EqualTo(ExecutionReason.NotFoundAfterUnknownOutcome));
            Assert.That(report.Origin, Is.EqualTo(ExecutionReportOrigin.Reconciliation));
            Assert.That(report.VenueErrorCode, Is.EqualTo(-2013));
            Assert.That(_server.RequestsOf("order.place"), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void ShouldReconnectRelogonAndReconcile_WhenConnectionDropsMidOrder()
    {
        // Arrange: the first connection drops as soon as order.place arrives (no answer); the order did reach the book.
        using var credentials = ApiCredentials.FromPrivateKeyPem(RequestSignerTests.SpotApiKey, RequestSignerTests.Ed25519Pem);
        using var venue = Create(credentials, Market.Spot);
        _server.OnRequest = (c, r) =>
        {
            if (r.Method == "order.place")
            {
                c.Abort();
                return true;
            }

            return Reply(c, r, "order.status", FakeReplies.OrderStatus(r, "PARTIALLY_FILLED", "50000.00000000", "0.01000000", "0.00400000", "200.00000000"));
        };
        venue.Start(_sink);

        // Act
        Place(venue, 21);
        PollUntil(venue, () => _sink.Reports.Length == 1 && venue.InFlight == 0, "reconnect, re-logon and reconciliation");
        var timing = default(OrderSendTiming);
        var again = OrderCommand.NewLimit(_btc, OrderSide.Buy, 50_000 * Scale, 1_000_000, TimeInForce.GoodTillCancelled, 21, 1, 1);
        var status = venue.Send(again, ref timing);

        // Assert
        var report = _sink.Reports[0];
        Assert.Multiple(() =>
        {
            Assert.That(venue.ApiConnects, Is.EqualTo(2));
            Assert.That(_server.RequestsOf("session.logon").Select(r => r.Connection), Is.EqualTo(new[] { 0, 1 }), "logged on again on the new connection");
            Assert.That(_server.RequestsOf("order.status").Single().Connection, Is.EqualTo(1));
            Assert.That(report.Origin, Is.EqualTo(ExecutionReportOrigin.Reconciliation));
            Assert.That(report.Status, Is.EqualTo(OrderStatus.PartiallyFilled));
            Assert.That(report.LastQuantity, Is.EqualTo(400_000));
            Assert.That(report.CumulativeQuantity, Is.EqualTo(400_000));
            Assert.That(status, Is.EqualTo(VenueSendStatus.Refused));
            Assert.That(_sink.Reports[1].Reason, Is.EqualTo(ExecutionReason.DuplicateClientOrderId));
            Assert.That(_server.RequestsOf("order.place"), Has.Length.EqualTo(1), "no duplicate client order id was sent");
        });
    }

    [Test]
    public void ShouldReconcileOpenOrders_WhenConnectionIsLostAfterTheAck()
    {
        // Arrange: an acked order fills while the connection is down (the user-data event is lost with it).
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        _server.OnRequest = (c, r) => Reply(c, r, "order.status", FakeReplies.OrderStatus(r, "FILLED", "50000.00000000", "0.01000000", "0.01000000", "499.90000000"));
        venue.Start(_sink);
        Place(venue, 61);
        PollUntil(venue, () => _sink.Reports.Length == 1 && venue.InFlight == 0, "the ack");

        // Act
        _server.Connections.Single().Abort();
        PollUntil(venue, () => _sink.Reports.Length == 2 && venue.InFlight == 0, "the reconciliation of the open order");

        // Assert
        var report = _sink.Reports[1];
        Assert.Multiple(() =>
        {
            Assert.That(report.Origin, Is.EqualTo(ExecutionReportOrigin.Reconciliation));
            Assert.That(report.Status, Is.EqualTo(OrderStatus.Filled));
            Assert.That(report.LastQuantity, Is.EqualTo(1_000_000));
            Assert.That(report.LastPrice, Is.EqualTo(49_990 * Scale));
            Assert.That(report.TradeId, Is.EqualTo(-1));
            Assert.That(_server.RequestsOf("order.status").Single().Connection, Is.EqualTo(1));
        });
    }

    [TestCase(500, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.")]
    [TestCase(503, -1000, "Unknown error, please check your request or try again later.")]
    public void ShouldReconcile_WhenVenueAnswersExecutionStatusUnknown(int status, int code, string message)
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Futures);
        _server.OnRequest = (c, r) => Reply(c, r, "order.place", FakeReplies.Error(r.Id, status, code, message))
            || Reply(c, r, "order.status", FakeReplies.OrderStatus(r, "NEW", "50000", "0.01", "0", "0"));
        venue.Start(_sink);

        // Act
        Place(venue, 31);
        PollUntil(venue, () => _sink.Reports.Length == 1 && venue.InFlight == 0, "the reconciliation");

        // Assert
        var report = _sink.Reports.Single();
        Assert.Multiple(() =>
        {
            Assert.That(report.Origin, Is.EqualTo(ExecutionReportOrigin.Reconciliation));
            Assert.That(report.Status, Is.EqualTo(OrderStatus.New));
            Assert.That(_server.RequestsOf("order.place"), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void ShouldAskAgainAfterTheRetryDelay_WhenStatusQueryFails()
    {
        // Arrange: order.place times out; the first order.status gets a 5xx, the second the order.
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot, requestTimeout: TimeSpan.FromSeconds(1));
        var queries = 0;
        _server.OnRequest = (c, r) =>
        {
            if (r.Method == "order.place")
            {
                return true;
            }

            if (r.Method == "order.status" && Interlocked.Increment(ref queries) == 1)
            {
                c.Send(FakeReplies.Error(r.Id, 500, -1006, "An unexpected response was received from the message bus. Execution status unknown."));
                return true;
            }

            return Reply(c, r, "order.status", FakeReplies.OrderStatus(r, "CANCELED", "50000.00000000", "0.01000000", "0", "0"));
        };
        venue.Start(_sink);

        // Act
        Place(venue, 81);
        PollUntil(venue, () => _sink.Reports.Length == 1 && venue.InFlight == 0, "the second query's answer");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(_server.RequestsOf("order.status"), Has.Length.EqualTo(2));
            Assert.That(_sink.Reports.Single().Status, Is.EqualTo(OrderStatus.Canceled));
            Assert.That(_sink.Reports.Single().Origin, Is.EqualTo(ExecutionReportOrigin.Reconciliation));
            Assert.That(venue.Counters.UnknownOutcomes, Is.EqualTo(1), "a retried query is not a new unknown outcome");
        });
    }

    [Test]
    public void ShouldRejectFailureNotReconcile_WhenFutures503IsServiceUnavailable()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Futures);
        _server.OnRequest = (c, r) => Reply(c, r, "order.place", FakeReplies.Error(r.Id, 503, -1008, "Request throttled by system-level protection. Reduce-only/close-position orders are exempt. Please try again."));
        venue.Start(_sink);

        // Act
        Place(venue, 32);
        PollUntil(venue, () => _sink.Reports.Length == 1 && venue.InFlight == 0, "the reject");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(_sink.Reports.Single().Origin, Is.EqualTo(ExecutionReportOrigin.Venue));
            Assert.That(_sink.Reports.Single().Reason, Is.EqualTo(ExecutionReason.VenueRejected));
            Assert.That(_server.RequestsOf("order.status"), Is.Empty);
        });
    }

    [Test]
    public void ShouldRefuseDuplicateClientOrderIdLocally_WhenAlreadySentInSession()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        venue.Start(_sink);
        Place(venue, 5);
        PollUntil(venue, () => _sink.Reports.Length == 1, "the ack");

        // Act
        var timing = default(OrderSendTiming);
        var command = OrderCommand.NewLimit(_btc, OrderSide.Sell, 51_000 * Scale, 1_000_000, TimeInForce.GoodTillCancelled, 5, 2, 2);
        var status = venue.Send(command, ref timing);

        // Assert
        var report = _sink.Reports[1];
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(VenueSendStatus.Refused), "refused and reported by the venue itself, nothing sent");
            Assert.That(timing.SentNs, Is.Zero, "nothing was written");
            Assert.That(report.Status, Is.EqualTo(OrderStatus.Rejected));
            Assert.That(report.Reason, Is.EqualTo(ExecutionReason.DuplicateClientOrderId));
            Assert.That(report.Origin, Is.EqualTo(ExecutionReportOrigin.Gateway));
            Assert.That(_server.RequestsOf("order.place"), Has.Length.EqualTo(1));
            Assert.That(venue.Counters.DuplicatesRefused, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldReceiveFuturesUserDataOnListenKeyConnection()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Futures);
        venue.Start(_sink);
        var userData = _server.UserDataConnections.Single();

        // Act
        var timing = default(OrderSendTiming);
        venue.Send(OrderCommand.NewLimit(_btc, OrderSide.Sell, 4_200_050_000_000, 200_000, TimeInForce.GoodTillCancelled, 41, 1, 1), ref timing);
        PollUntil(venue, () => _sink.Reports.Length == 1, "the ack");
        userData.Send("{\"e\":\"ACCOUNT_UPDATE\",\"E\":1,\"T\":1,\"a\":{\"m\":\"ORDER\",\"B\":[],\"P\":[]}}");
        userData.Send(FakeReplies.FuturesExecution("of-41", "TRADE", "FILLED", "0.002", "0.002", "42000.5", "0.0168002", 77, false));
        PollUntil(venue, () => _sink.Reports.Length == 2, "the fill");

        // Assert
        var fill = _sink.Reports[1];
        Assert.Multiple(() =>
        {
            Assert.That(_server.RequestsOf("userDataStream.start"), Has.Length.EqualTo(1));
            Assert.That(userData.Path, Is.EqualTo("/private/ws?listenKey=lk-1"));
            Assert.That(_server.RequestsOf("session.logon"), Is.Empty);
            Assert.That(fill.Status, Is.EqualTo(OrderStatus.Filled));
            Assert.That(fill.LastPrice, Is.EqualTo(4_200_050_000_000));
            Assert.That(fill.LastQuantity, Is.EqualTo(200_000));
            Assert.That(fill.Commission, Is.EqualTo(1_680_020));
            Assert.That(fill.TradeId, Is.EqualTo(77));
            Assert.That(fill.EventTimeMs, Is.EqualTo(1700000002000));
            Assert.That(fill.TransactionTimeMs, Is.EqualTo(1700000001998));
            Assert.That(fill.Side, Is.EqualTo(OrderSide.Sell));
            Assert.That(venue.Counters.OtherEvents, Is.EqualTo(1), "ACCOUNT_UPDATE");
        });
    }

    [Test]
    public void ShouldRenewListenKeyAndReconnectUserData_WhenListenKeyExpires()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Futures);
        venue.Start(_sink);
        _server.ListenKey = "lk-2";

        // Act
        _server.UserDataConnections.Single().Send("{\"e\":\"listenKeyExpired\",\"E\":\"1736996475556\",\"listenKey\":\"lk-1\"}");
        PollUntil(venue, () => _server.UserDataConnections.Any(c => c.Path.EndsWith("lk-2", StringComparison.Ordinal)) && venue.IsReady, "the new listenKey connection");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(_server.RequestsOf("userDataStream.start"), Has.Length.EqualTo(2));
            Assert.That(venue.UserDataConnects, Is.EqualTo(2));
            Assert.That(venue.ApiConnects, Is.EqualTo(1), "the API session is untouched");
        });
    }

    [Test]
    public void ShouldWaitForInFlightAnswers_WhenStopped()
    {
        // Arrange: the ack comes only after Stop began.
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        FakeRequest? held = null;
        FakeConnection? heldOn = null;
        _server.OnRequest = (c, r) =>
        {
            if (r.Method != "order.place")
            {
                return false;
            }

            (held, heldOn) = (r, c);
            return true;
        };
        venue.Start(_sink);
        Place(venue, 70);
        BoundedWait.Until(() => held is not null, Wait, () => "order.place at the server");
        var answer = new Thread(() =>
        {
            Thread.Sleep(50);
            heldOn!.Send(FakeReplies.Placed(held!, "NEW"));
        });

        // Act
        answer.Start();
        venue.Stop(Wait);
        answer.Join();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(venue.InFlight, Is.Zero);
            Assert.That(_sink.Reports.Single().Status, Is.EqualTo(OrderStatus.New));
            Assert.That(venue.IsReady, Is.False);
        });
    }

    [Test]
    public void ShouldReportCancelFromUserDataAndCancelRejectFromResponse()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        _server.OnRequest = (c, r) => r.Method == "order.cancel" && r.Param("origClientOrderId") == "of-99"
            && Reply(c, r, "order.cancel", FakeReplies.Error(r.Id, 400, -2011, "Unknown order sent."));
        venue.Start(_sink);
        var api = _server.Connections.Single();
        Place(venue, 50);
        PollUntil(venue, () => _sink.Reports.Length == 1, "the ack");

        // Act
        var timing = default(OrderSendTiming);
        venue.Send(OrderCommand.Cancel(_btc, 50, 51, 3, 3), ref timing);
        venue.Send(OrderCommand.Cancel(_btc, 99, 52, 3, 3), ref timing);
        api.Send(FakeReplies.SpotExecution("web_cancel1", "CANCELED", "CANCELED", "0", "0", "0", "0", -1, false, origClientOrderId: "of-50"));
        PollUntil(venue, () => _sink.Reports.Length == 3 && venue.InFlight == 0, "the cancel and the cancel reject");

        // Assert
        var canceled = _sink.Reports.Single(r => r.Status == OrderStatus.Canceled);
        var refused = _sink.Reports.Single(r => r.Status == OrderStatus.Rejected);
        Assert.Multiple(() =>
        {
            Assert.That(canceled.ClientOrderId, Is.EqualTo(50));
            Assert.That(canceled.CommandClientOrderId, Is.EqualTo(51), "the cancel command that caused it");
            Assert.That(canceled.RemainingQuantity, Is.EqualTo(1_000_000));
            Assert.That(refused.ClientOrderId, Is.EqualTo(99));
            Assert.That(refused.CommandClientOrderId, Is.EqualTo(52));
            Assert.That(refused.Reason, Is.EqualTo(ExecutionReason.UnknownOrder));
        });
    }

    [Test]
    public void ShouldReconnectAtOnce_WhenServerShutdownEventArrives()
    {
        // Arrange
        using var credentials = Hmac();
        using var venue = Create(credentials, Market.Spot);
        venue.Start(_sink);

        // Act
        _server.Connections.Single().Send("{\"event\":{\"e\":\"serverShutdown\",\"E\":1}}");
        PollUntil(venue, () => venue.ApiConnects == 2 && venue.IsReady, "the reconnect");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(venue.Counters.ServerShutdowns, Is.EqualTo(1));
            Assert.That(_server.RequestsOf("userDataStream.subscribe.signature"), Has.Length.EqualTo(2));
        });
    }

    [Test]
    public void ShouldThrowVenueUnavailable_WhenLogonIsRefused()
    {
        // Arrange
        using var credentials = ApiCredentials.FromPrivateKeyPem(RequestSignerTests.SpotApiKey, RequestSignerTests.Ed25519Pem);
        using var venue = Create(credentials, Market.Spot, startTimeout: TimeSpan.FromSeconds(2));
        _server.OnRequest = (c, r) => Reply(c, r, "session.logon", FakeReplies.Error(r.Id, 401, -2015, "Invalid API-key, IP, or permissions for action."));

        // Act, Assert
        var error = Assert.Throws<VenueUnavailableException>(() => venue.Start(_sink));
        Assert.That(error!.Message, Does.Contain("-2015").And.Not.Contain(RequestSignerTests.SpotApiKey));
    }

    [TestCase(ApiKeyType.Hmac, Market.Spot)]
    [TestCase(ApiKeyType.Ed25519, Market.Spot)]
    [TestCase(ApiKeyType.Hmac, Market.Futures)]
    public void ShouldNotAllocate_WhenSendingInSteadyState(ApiKeyType keyType, Market market)
    {
        // Arrange
        using var credentials = keyType == ApiKeyType.Hmac ? Hmac() : ApiCredentials.FromPrivateKeyPem(RequestSignerTests.SpotApiKey, RequestSignerTests.Ed25519Pem);
        using var venue = Create(credentials, market);
        venue.Start(_sink);
        var timing = default(OrderSendTiming);
        long id = 1;
        for (; id <= 200; id++)
        {
            venue.Send(OrderCommand.NewLimit(_btc, OrderSide.Buy, 50_000 * Scale, 1_000_000, TimeInForce.GoodTillCancelled, id, id, id), ref timing);
        }

        // Act
        const int Sends = 1000;
        var sent = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var waitedBefore = venue.SendsThatWaited;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Sends; i++, id++)
        {
            var command = OrderCommand.NewLimit(_btc, OrderSide.Buy, 50_000 * Scale, 1_000_000, TimeInForce.GoodTillCancelled, id, id, id);
            sent += venue.Send(command, ref timing) == VenueSendStatus.Sent ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var waited = venue.SendsThatWaited - waitedBefore;
        clock.Stop();
        TestContext.Out.WriteLine($"{keyType} {market}: {allocated} B over {Sends} sends ({(double)allocated / Sends:0.##} B per send); mean {clock.Elapsed.TotalMicroseconds / Sends:0.0} µs per Send (encode, sign, write; loopback; informational)");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(Sends));
            // A write that finds the socket's buffer full (a loaded machine's loopback peer reading late) waits, and the
            // runtime allocates that wait's state: that is back-pressure, not steady state. Every other Send allocates nothing.
            Assert.That(allocated, Is.LessThanOrEqualTo(waited * 512), $"bytes allocated by Send on the gateway thread in steady state ({waited} sends waited for the socket)");
        });
        PollUntil(venue, () => venue.InFlight == 0, "every ack");
    }

    private BinanceOrderVenue Create(ApiCredentials credentials, Market market, TimeSpan? requestTimeout = null, TimeSpan? startTimeout = null, bool omitSignatureAfterLogon = true) =>
        new(new OrderVenueOptions
        {
            Market = market,
            Credentials = credentials,
            Symbols = _symbols,
            ApiUri = _server.ApiUri,
            FuturesUserDataUri = _server.UserDataUri,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
            StartTimeout = startTimeout ?? TimeSpan.FromSeconds(10),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            OmitSignatureAfterLogon = omitSignatureAfterLogon,
            ReconcileRetryDelay = TimeSpan.FromMilliseconds(50),
        });

    private void Place(BinanceOrderVenue venue, long clientOrderId)
    {
        var timing = default(OrderSendTiming);
        var status = venue.Send(OrderCommand.NewLimit(_btc, OrderSide.Buy, 50_000 * Scale, 1_000_000, TimeInForce.GoodTillCancelled, clientOrderId, 1, 1), ref timing);
        Assert.That(status, Is.EqualTo(VenueSendStatus.Sent));
        Assert.That(timing.SentNs, Is.GreaterThanOrEqualTo(timing.EncodedNs));
    }

    private void PollUntil(BinanceOrderVenue venue, Func<bool> condition, string what) =>
        BoundedWait.Until(
            () =>
            {
                venue.Poll(MonotonicClock.NowNs, _budget);
                return condition();
            },
            Wait,
            () => $"{what}; reports: {string.Join(", ", _sink.Reports.Select(r => $"{r.ClientOrderId}:{r.Status}/{r.Reason}/{r.Origin}"))}; requests: {string.Join(", ", _server.Requests.Select(r => $"{r.Connection}:{r.Method}"))}; in flight {venue.InFlight}");

    private static bool Reply(FakeConnection connection, FakeRequest request, string method, string reply)
    {
        if (request.Method != method)
        {
            return false;
        }

        connection.Send(reply);
        return true;
    }

    private static ApiCredentials Hmac() => ApiCredentials.FromHmacSecret(RequestSignerTests.SpotApiKey, RequestSignerTests.SpotSecret);

    private static string Hmac(string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(RequestSignerTests.SpotSecret), Encoding.UTF8.GetBytes(payload)));

    private static PublicKeyHolder Ed25519PublicKey()
    {
        var key = Key.Import(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(RequestSignerTests.Ed25519Pem), KeyBlobFormat.PkixPrivateKeyText);
        return new PublicKeyHolder(key);
    }

    private sealed class PublicKeyHolder(Key key) : IDisposable
    {
        public PublicKey Key => key.PublicKey;

        public void Dispose() => key.Dispose();
    }
}
