using System.Runtime.CompilerServices;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// What an attached <see cref="Evaluator"/> sees of the core: the books (<see cref="Core"/>), and its output port into
/// the outbound ring (<see cref="Emit{TBody}(EvaluatorRecordType, ref readonly MarketEvent, long, in TBody)"/>,
/// <see cref="EmitOrder"/>).
/// </summary>
/// <remarks>Core thread only. Emitting allocates nothing: the record is built on the stack and copied into a ring slot
/// (or a journal in replay). Counters are read after the core stopped.</remarks>
public sealed class EvaluatorContext
{
    private readonly IOutboundSink? _outbound;

    internal EvaluatorContext(MarketCore core, IOutboundSink? outbound, ushort evaluatorId, string name)
    {
        Core = core;
        _outbound = outbound;
        EvaluatorId = evaluatorId;
        Name = name;
    }

    /// <summary>The core: read books and per-symbol state with <see cref="MarketCore.StateOf"/>, session counts with
    /// <see cref="MarketCore.EventsOfKind"/>. Never call its <see cref="MarketCore.OnEvent(ref Model.MarketEvent, long, bool)"/>.</summary>
    public MarketCore Core { get; }

    /// <summary>The core's order ledger: this evaluator's open orders and notional (<see cref="OrderLedger.OpenOrders"/>,
    /// <see cref="OrderLedger.OpenNotional"/> with <see cref="EvaluatorId"/>), positions and fills.</summary>
    public OrderLedger Orders => Core.Orders;

    /// <summary>Whether the session trades: an order gateway answers the orders with execution reports
    /// (<see cref="OrderLedgerOptions.Trading"/>). Strategies count orders open from the ledger when it is set, and keep
    /// their own heuristics when it is not.</summary>
    public bool Trading => Core.Orders.Trading;

    /// <summary>The evaluator's index in its set; written into every record it emits.</summary>
    public ushort EvaluatorId { get; }

    /// <summary>The evaluator's name.</summary>
    public string Name { get; }

    /// <summary>The symbol table capacity: every symbol id of the session is below it.</summary>
    public int SymbolCapacity => Core.SymbolCapacity;

    /// <summary>Evaluator records emitted.</summary>
    public long RecordsEmitted { get; private set; }

    /// <summary>Order commands emitted.</summary>
    public long OrdersEmitted { get; private set; }

    /// <summary>Emits one evaluator record caused by <paramref name="cause"/>.</summary>
    /// <typeparam name="TBody">The body struct of <paramref name="type"/> (at most <see cref="EvaluatorRecordDescriptor.BodySize"/> bytes).</typeparam>
    /// <param name="type">What the body holds.</param>
    /// <param name="cause">The causing inbound event: its symbol and times go in the header.</param>
    /// <param name="causingSequence">Its inbound ring sequence.</param>
    /// <param name="body">The body; copied.</param>
    /// <exception cref="ArgumentException"><typeparamref name="TBody"/> is too large.</exception>
    /// <remarks>Allocation-free. Waits while the outbound ring is full (never drops).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Emit<TBody>(EvaluatorRecordType type, ref readonly MarketEvent cause, long causingSequence, in TBody body)
        where TBody : unmanaged
    {
        var record = default(EvaluatorRecord);
        record.Type = type;
        record.EvaluatorId = EvaluatorId;
        record.SymbolId = cause.SymbolId;
        record.CausingSequence = causingSequence;
        record.EventTimeMs = cause.EventTimeMs;
        record.LocalTimestampNs = cause.LocalTimestampNs;
        record.BodyAs<TBody>() = body;
        RecordsEmitted++;
        _outbound?.OnEvaluatorRecord(in record);
    }

    /// <summary>Emits one order command for the order gateway (outbound ring, outbound journal).</summary>
    /// <param name="command">The command; copied verbatim (the gateway validates it).</param>
    /// <remarks>The core's <see cref="OrderLedger"/> records it first (<see cref="OrderLedger.OnCommand"/>: a New is then
    /// pending until its first report). Allocation-free. Waits while the outbound ring is full (never drops).</remarks>
    public void EmitOrder(in OrderCommand command)
    {
        OrdersEmitted++;
        Core.Orders.OnCommand(in command, EvaluatorId);
        _outbound?.OnOrderCommand(in command);
    }

    internal void EmitFault(ref readonly MarketEvent cause, long causingSequence, EvaluatorInputs input, Exception exception)
    {
        var name = exception.GetType().FullName ?? string.Empty;
        var fault = new EvaluatorFault
        {
            HResult = exception.HResult,
            Input = input,
            TypeNameHash = Crc(name),
        };
        Emit(EvaluatorRecordType.Fault, in cause, causingSequence, in fault);
    }

    private static uint Crc(string text)
    {
        uint crc = 0;
        foreach (var c in text)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, (ushort)c);
        }

        return crc;
    }
}
