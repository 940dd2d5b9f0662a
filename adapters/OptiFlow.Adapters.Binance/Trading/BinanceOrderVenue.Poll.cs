using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>The gateway thread's periodic duty.</summary>
public sealed partial class BinanceOrderVenue
{
    /// <inheritdoc/>
    /// <remarks>
    /// Gateway thread only. In order: applies what the receive threads queued (rate-limit usage → <see cref="RateBudget.Observe"/>,
    /// 429 → <see cref="RateBudget.OnTooManyRequests"/>, 418 → <see cref="RateBudget.OnBanned"/>, unknown outcomes and lost
    /// connections → the reconciliation queue); times out requests older than <see cref="OrderVenueOptions.RequestTimeout"/>
    /// (their outcome becomes unknown); and, with a ready session and no ban or back-off, sends the queued <c>order.status</c>
    /// reconciliations, the periodic <c>time</c> and (USDⓈ-M) <c>userDataStream.ping</c>. The budget's clock is local ms since
    /// the Unix epoch; a venue <c>retryAfter</c> is converted with the server-time offset. Allocation-free unless a queue grows.
    /// </remarks>
    public void Poll(long nowNs, RateBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _lastBudget = budget;
        var nowMs = LocalNowMs;
        DrainNotices(budget, nowMs);
        if (Volatile.Read(ref _busySlots) > 0)
        {
            SweepSlots(nowNs, lostGeneration: -1);
        }

        var api = _api;
        if (api is null || !_apiReady || budget.Blocked(nowMs) != RiskReason.Accepted)
        {
            return;
        }

        if (_reconcileQueue.Count > 0 && _userDataReady)
        {
            SendReconciliations(api, nowNs, budget, nowMs);
        }

        if (nowNs - _lastTimeSyncNs > (long)_options.TimeSyncInterval.TotalMilliseconds * 1_000_000)
        {
            _lastTimeSyncNs = nowNs;
            SendSimple(api, RequestKind.Time, nowNs);
        }

        if (_market == Market.Futures)
        {
            if (_listenKey is null && Volatile.Read(ref _listenKeyRequestId) == -1)
            {
                var id = Interlocked.Increment(ref _nextControlId);
                Volatile.Write(ref _listenKeyRequestId, id);
                api.Send(WriteApiKeyOnly(_gatewayFrame, id, "userDataStream.start"u8));
            }
            else if (nowNs - _lastListenKeyPingNs > (long)_options.ListenKeyKeepAliveInterval.TotalMilliseconds * 1_000_000)
            {
                _lastListenKeyPingNs = nowNs;
                SendSimple(api, RequestKind.ListenKeyPing, nowNs);
            }
        }
    }

    private void DrainNotices(RateBudget budget, long nowMs)
    {
        lock (_noticeLock)
        {
            if (_notices.Count == 0)
            {
                return;
            }

            (_notices, _drained) = (_drained, _notices);
        }

        foreach (ref readonly var notice in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_drained))
        {
            switch (notice.Kind)
            {
                case VenueNoticeKind.RateLimitUsage:
                    budget.Observe(notice.IsOrders ? RateLimitKind.Orders : RateLimitKind.RequestWeight, notice.IntervalMs, notice.Value, nowMs);
                    break;
                case VenueNoticeKind.TooManyRequests:
                    budget.OnTooManyRequests(notice.Value);
                    break;
                case VenueNoticeKind.Banned:
                    budget.OnBanned(notice.Value);
                    break;
                case VenueNoticeKind.Reconcile:
                    EnqueueReconciliation(notice.Command, retry: notice.Value == 1);
                    break;
                case VenueNoticeKind.ConnectionLost:
                    SweepSlots(MonotonicClock.NowNs, (int)notice.Value);
                    ReconcileOpenOrders();
                    break;
            }
        }

        _drained.Clear();
    }

    /// <summary>Takes every pending request that timed out, or (with <paramref name="lostGeneration"/> ≥ 0) that was sent on
    /// that connection or an earlier one: its outcome is unknown.</summary>
    private void SweepSlots(long nowNs, int lostGeneration)
    {
        foreach (var slot in _slots)
        {
            if (Volatile.Read(ref slot.State) != PendingRequest.Pending)
            {
                continue;
            }

            var lost = lostGeneration >= 0 && slot.Generation <= lostGeneration;
            if (!lost && nowNs - slot.SentNs < _requestTimeoutNs)
            {
                continue;
            }

            if (Interlocked.CompareExchange(ref slot.State, PendingRequest.Owned, PendingRequest.Pending) != PendingRequest.Pending)
            {
                continue;
            }

            Interlocked.Decrement(ref _busySlots);
            if (slot.Kind is RequestKind.Order or RequestKind.Status)
            {
                EnqueueReconciliation(slot.Command, retry: slot.Kind == RequestKind.Status);
            }

            FreeSlot(slot);
        }
    }

    private void EnqueueReconciliation(in OrderCommand command, bool retry)
    {
        if (command.Action == OrderAction.CancelAll)
        {
            // Nothing to query per order: the cancels (if any) arrive as user data; its open orders are reconciled after a reconnect.
            Interlocked.Decrement(ref _inFlight);
            return;
        }

        if (!retry)
        {
            Counters.UnknownOutcomes++;
        }

        _reconcileQueue.Add(new ReconcileItem { Command = command, NotBeforeNs = retry ? MonotonicClock.NowNs + _reconcileRetryNs : 0 });
    }

    /// <summary>After a lost connection: every order still open may have changed unseen; query each (not counted in flight).</summary>
    private void ReconcileOpenOrders()
    {
        lock (_orderLock)
        {
            for (var i = 0; i < _orders.Size; i++)
            {
                ref var entry = ref _orders.At(i);
                if (!entry.IsOpen || (entry.Flags & VenueOrderTable.NewReported) == 0 || entry.Command.SymbolId < 0)
                {
                    continue;
                }

                var query = entry.Command;
                query.Reserved = 0;
                _reconcileQueue.Add(new ReconcileItem { Command = query });

                // A query not caused by a command of ours: balanced by the decrement when it is answered.
                Interlocked.Increment(ref _inFlight);
            }
        }
    }

    /// <summary>Sends the due queries, each taking its request weight from the budget (spot 4, USDⓈ-M 1; binance.md §5.3,
    /// §5.4); stops at the first the budget or the request table refuses. Items not yet due stay in order.</summary>
    private void SendReconciliations(WsApiConnection api, long nowNs, RateBudget budget, long nowMs)
    {
        var weight = _market == Market.Spot ? 4 : 1;
        var kept = 0;
        var blocked = false;
        for (var i = 0; i < _reconcileQueue.Count; i++)
        {
            var item = _reconcileQueue[i];
            if (blocked || item.NotBeforeNs > nowNs || !TrySendStatus(api, item.Command, nowNs, budget, nowMs, weight))
            {
                blocked |= item.NotBeforeNs <= nowNs;
                _reconcileQueue[kept++] = item;
            }
        }

        _reconcileQueue.RemoveRange(kept, _reconcileQueue.Count - kept);
    }

    private bool TrySendStatus(WsApiConnection api, in OrderCommand command, long nowNs, RateBudget budget, long nowMs, int weight)
    {
        var requestId = _nextRequestId + 1;
        var slot = _slots[requestId & _slotMask];
        if (Volatile.Read(ref slot.State) != PendingRequest.Free || budget.TryConsume(0, weight, nowMs) != RiskReason.Accepted)
        {
            return false;
        }

        _nextRequestId = requestId;
        var target = command.Action == OrderAction.Cancel ? command.OriginalClientOrderId : command.ClientOrderId;
        _orderEncoder.SessionAuthenticated = _loggedOn;
        var frame = _orderEncoder.EncodeOrderStatus(_symbols.Utf8NameOf(command.SymbolId), target, requestId, ServerNowMs);
        slot.RequestId = requestId;
        slot.Kind = RequestKind.Status;
        slot.Command = command;
        slot.SentNs = nowNs;
        slot.Generation = _generation;
        Interlocked.Increment(ref _busySlots);
        Volatile.Write(ref slot.State, PendingRequest.Pending);
        if (api.Send(frame) == WsApiSendResult.NotOpen
            && Interlocked.CompareExchange(ref slot.State, PendingRequest.Owned, PendingRequest.Pending) == PendingRequest.Pending)
        {
            Interlocked.Decrement(ref _busySlots);
            FreeSlot(slot);
            return false;
        }

        Counters.ReconciliationsSent++;
        return true;
    }

    private void SendSimple(WsApiConnection api, RequestKind kind, long nowNs)
    {
        var requestId = ++_nextRequestId;
        var slot = _slots[requestId & _slotMask];
        if (Volatile.Read(ref slot.State) != PendingRequest.Free)
        {
            return;
        }

        var frame = kind == RequestKind.Time
            ? WriteNoParams(_gatewayFrame, requestId, "time"u8)
            : WriteApiKeyOnly(_gatewayFrame, requestId, "userDataStream.ping"u8);
        slot.RequestId = requestId;
        slot.Kind = kind;
        slot.Command = default;
        slot.SentNs = nowNs;
        slot.SentWallMs = LocalNowMs;
        slot.Generation = _generation;
        Interlocked.Increment(ref _busySlots);
        Volatile.Write(ref slot.State, PendingRequest.Pending);
        if (api.Send(frame) == WsApiSendResult.NotOpen
            && Interlocked.CompareExchange(ref slot.State, PendingRequest.Owned, PendingRequest.Pending) == PendingRequest.Pending)
        {
            Interlocked.Decrement(ref _busySlots);
            FreeSlot(slot);
        }
    }
}
