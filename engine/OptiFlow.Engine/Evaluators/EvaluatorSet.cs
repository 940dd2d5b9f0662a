using System.Runtime.CompilerServices;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// The evaluators of one core, with per-symbol dispatch tables: for each input kind and symbol id, the evaluators that
/// subscribed to it, built once when attached — so an event calls only those, with no search at run time.
/// </summary>
/// <remarks>
/// <para>Pass it to <see cref="MarketCore(int, IOutboundSink, bool, EvaluatorSet, Orders.OrderLedgerOptions)"/>, which attaches it (once). Order is
/// the list's order, every time: the outbound stream is deterministic.</para>
/// <para><b>Faults:</b> every callback runs inside a try/catch; an evaluator that throws is quarantined (never called
/// again), the exception kept (<see cref="Status"/>) and an <see cref="EvaluatorRecordType.Fault"/> record emitted; the
/// core and the other evaluators go on. <b>Thread-safety:</b> core thread only; <see cref="Status"/> after the core
/// stopped. <b>Allocation:</b> none per event (the tables are arrays built at attach; a throw allocates, once).</para>
/// </remarks>
public sealed class EvaluatorSet
{
    private static readonly Slot[] NoSlots = [];

    private readonly Slot[] _slots;
    private readonly Evaluator[] _evaluators;
    private Slot[][] _onBookTicker = [];
    private Slot[][] _onDepthApplied = [];
    private Slot[][] _onTrade = [];
    private Slot?[] _onExecutionReport = [];

    /// <summary>Creates a set; nothing is attached yet.</summary>
    /// <param name="evaluators">The evaluators, called in this order; at most 65,535; each instance in one set only.</param>
    /// <exception cref="ArgumentException">An evaluator is null or listed twice, or there are too many.</exception>
    public EvaluatorSet(IEnumerable<Evaluator> evaluators)
    {
        ArgumentNullException.ThrowIfNull(evaluators);
        var list = evaluators.ToList();
        if (list.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"At most {ushort.MaxValue} evaluators per core; got {list.Count}.", nameof(evaluators));
        }

        if (list.Any(e => e is null))
        {
            throw new ArgumentException("An evaluator is null.", nameof(evaluators));
        }

        if (list.Distinct(ReferenceEqualityComparer.Instance).Count() != list.Count)
        {
            throw new ArgumentException("An evaluator instance is listed twice: each keeps its own state.", nameof(evaluators));
        }

        _slots = list.Select(e => new Slot(e)).ToArray();
        _evaluators = [.. list];
    }

    /// <summary>The evaluators, in call order.</summary>
    public IReadOnlyList<Evaluator> Evaluators => _evaluators;

    /// <summary>Whether <see cref="Attach"/> ran.</summary>
    public bool IsAttached { get; private set; }

    /// <summary>Calls, output and faults per evaluator, in call order. Read after the core stopped.</summary>
    public IReadOnlyList<EvaluatorStatus> Status => _slots
        .Select(s => new EvaluatorStatus(s.Evaluator.Name, s.Calls, s.Context?.RecordsEmitted ?? 0, s.Context?.OrdersEmitted ?? 0, s.Fault, s.FaultSequence, s.SkippedCalls))
        .ToArray();

    /// <summary>Evaluators quarantined after throwing.</summary>
    public int Quarantined => _slots.Count(s => s.Fault is not null);

    /// <summary>Attaches every evaluator to <paramref name="core"/> and builds the dispatch tables (cold path, once).</summary>
    /// <param name="core">The core that calls the set.</param>
    /// <param name="outbound">Where the evaluators' records go; null for nowhere.</param>
    /// <exception cref="InvalidOperationException">The set is already attached.</exception>
    /// <remarks>Called by the core's constructor.</remarks>
    internal void Attach(MarketCore core, IOutboundSink? outbound)
    {
        if (IsAttached)
        {
            throw new InvalidOperationException("This evaluator set is already attached to a core.");
        }

        IsAttached = true;
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            slot.Context = new EvaluatorContext(core, outbound, (ushort)i, slot.Evaluator.Name);
            slot.Evaluator.Attach(slot.Context);
        }

        var capacity = core.SymbolCapacity;
        _onBookTicker = Table(capacity, EvaluatorInputs.BookTicker);
        _onDepthApplied = Table(capacity, EvaluatorInputs.DepthApplied);
        _onTrade = Table(capacity, EvaluatorInputs.Trade);
        _onExecutionReport = _slots.Select(s => (s.Evaluator.Inputs & EvaluatorInputs.ExecutionReport) != 0 ? s : null).ToArray();
    }

    /// <summary>Reports the core received that named no subscribed evaluator of this set (an id from elsewhere, or an
    /// evaluator without <see cref="EvaluatorInputs.ExecutionReport"/>).</summary>
    public long UndeliveredReports { get; private set; }

    /// <summary>Calls the evaluator whose id is in the report's client order id, if it subscribed to reports.</summary>
    internal void OnExecutionReport(in ExecutionReport report, ref MarketEvent slot, long sequence)
    {
        var id = Strategies.ClientOrderIds.Parse(report.ClientOrderId > 0 ? report.ClientOrderId : report.CommandClientOrderId).EvaluatorId;
        var target = (uint)id < (uint)_onExecutionReport.Length ? _onExecutionReport[id] : null;
        if (target is null)
        {
            UndeliveredReports++;
            return;
        }

        if (target.Fault is not null)
        {
            target.SkippedCalls++;
            return;
        }

        target.Calls++;
        try
        {
            target.Evaluator.OnExecutionReport(in report, in slot, sequence);
        }
        catch (Exception exception)
        {
            Quarantine(target, in slot, sequence, EvaluatorInputs.ExecutionReport, exception);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void OnBookTicker(ref MarketEvent e, long sequence)
    {
        foreach (var slot in For(_onBookTicker, e.SymbolId))
        {
            if (slot.Fault is not null)
            {
                slot.SkippedCalls++;
                continue;
            }

            slot.Calls++;
            try
            {
                slot.Evaluator.OnBookTicker(in e, sequence);
            }
            catch (Exception exception)
            {
                Quarantine(slot, in e, sequence, EvaluatorInputs.BookTicker, exception);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void OnDepthApplied(ref MarketEvent last, long sequence, SymbolState state, ref SignalEvent signal)
    {
        foreach (var slot in For(_onDepthApplied, state.SymbolId))
        {
            if (slot.Fault is not null)
            {
                slot.SkippedCalls++;
                continue;
            }

            slot.Calls++;
            try
            {
                slot.Evaluator.OnDepthApplied(in last, sequence, state, in signal);
            }
            catch (Exception exception)
            {
                Quarantine(slot, in last, sequence, EvaluatorInputs.DepthApplied, exception);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void OnTrade(ref MarketEvent e, long sequence)
    {
        foreach (var slot in For(_onTrade, e.SymbolId))
        {
            if (slot.Fault is not null)
            {
                slot.SkippedCalls++;
                continue;
            }

            slot.Calls++;
            try
            {
                slot.Evaluator.OnTrade(in e, sequence);
            }
            catch (Exception exception)
            {
                Quarantine(slot, in e, sequence, EvaluatorInputs.Trade, exception);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Slot[] For(Slot[][] table, int symbolId) => (uint)symbolId < (uint)table.Length ? table[symbolId] : NoSlots;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Quarantine(Slot slot, ref readonly MarketEvent cause, long sequence, EvaluatorInputs input, Exception exception)
    {
        slot.Fault = exception;
        slot.FaultSequence = sequence;
        slot.Context!.EmitFault(in cause, sequence, input, exception);
    }

    private Slot[][] Table(int capacity, EvaluatorInputs input)
    {
        var subscribed = _slots.Where(s => (s.Evaluator.Inputs & input) != 0).ToArray();
        var table = new Slot[capacity][];
        if (subscribed.Length == 0)
        {
            Array.Fill(table, NoSlots);
            return table;
        }

        for (var symbolId = 0; symbolId < capacity; symbolId++)
        {
            var wanted = subscribed.Where(s => s.Wants(symbolId)).ToArray();
            table[symbolId] = wanted.Length == 0 ? NoSlots : wanted;
        }

        return table;
    }

    private sealed class Slot(Evaluator evaluator)
    {
        private readonly Dictionary<int, bool> _wants = [];

        public Evaluator Evaluator { get; } = evaluator;

        public EvaluatorContext? Context { get; set; }

        public long Calls { get; set; }

        public long SkippedCalls { get; set; }

        public Exception? Fault { get; set; }

        public long FaultSequence { get; set; } = -1;

        // Asked once per symbol id whatever the number of inputs the evaluator subscribes to.
        public bool Wants(int symbolId)
        {
            if (!_wants.TryGetValue(symbolId, out var wants))
            {
                wants = Evaluator.Wants(symbolId);
                _wants[symbolId] = wants;
            }

            return wants;
        }
    }
}
