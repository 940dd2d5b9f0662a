using OptiFlow.Engine.Core;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// An incremental evaluator on the core thread, downstream of the books: it subscribes to the event kinds
/// (<see cref="Inputs"/>) and symbols (<see cref="Wants"/>) it needs, is called only for those, reads the books and its
/// own state, and emits fixed-size records (<see cref="EvaluatorRecord"/>, <see cref="Orders.OrderCommand"/>) into the
/// outbound ring through its <see cref="EvaluatorContext"/>.
/// </summary>
/// <remarks>
/// <para><b>Rules</b> (ARCHITECTURE "The data path"): called on the core thread only, in inbound sequence order, after the
/// core has handled the event (the book already holds an applied depth message; <see cref="SymbolState.LastBookTicker"/>
/// already holds the bookTicker). Allocate nothing per event (size every table when attached); never read a clock to
/// decide anything — time comes from the events (<see cref="MarketEvent.EventTimeMs"/>,
/// <see cref="MarketEvent.LocalTimestampNs"/>), so a replay of the journal makes the same decisions; a clock may be read
/// only to measure, into a histogram that decides nothing. Never block, never do I/O.</para>
/// <para><b>Faults:</b> an exception thrown from a callback is caught by the <see cref="EvaluatorSet"/>: the evaluator
/// is quarantined (never called again this session), the fault is counted (<see cref="EvaluatorStatus"/>) and journaled
/// as an <see cref="EvaluatorRecordType.Fault"/> record; the core and the other evaluators go on.</para>
/// <para>An instance belongs to one session: it keeps state across events and is attached once.</para>
/// </remarks>
public abstract class Evaluator
{
    /// <summary>A short stable name (journaled in fault records' context, shown in reports), e.g. <c>triangles</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The event kinds this evaluator is called for. Read once, when attached.</summary>
    public abstract EvaluatorInputs Inputs { get; }

    /// <summary>The context given at <see cref="OnAttach"/>: books, output. Null before.</summary>
    protected EvaluatorContext? Context { get; private set; }

    /// <summary>Whether to call this evaluator for events of <paramref name="symbolId"/>. Called once per symbol id of
    /// the session's table when attached (cold path); the answer is kept in a dispatch table, never asked again.</summary>
    /// <param name="symbolId">A symbol id, 0 ≤ id &lt; the table's capacity.</param>
    /// <returns>True (the default) to be called for every symbol.</returns>
    public virtual bool Wants(int symbolId) => true;

    /// <summary>Called once, on the thread that builds the core, before any event: size tables here.</summary>
    /// <param name="context">This evaluator's context.</param>
    public void Attach(EvaluatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Context is not null)
        {
            throw new InvalidOperationException($"Evaluator '{Name}' is already attached to a core: an instance belongs to one session.");
        }

        Context = context;
        OnAttach(context);
    }

    /// <summary>A bookTicker of a subscribed symbol (<see cref="EvaluatorInputs.BookTicker"/>).</summary>
    /// <param name="e">The event (valid only during the call).</param>
    /// <param name="sequence">Its inbound ring sequence.</param>
    public virtual void OnBookTicker(ref readonly MarketEvent e, long sequence)
    {
    }

    /// <summary>A depth message applied to a synced book of a subscribed symbol (<see cref="EvaluatorInputs.DepthApplied"/>).</summary>
    /// <param name="last">The message's last level event (its <c>U</c>, <c>u</c>, times); valid only during the call.</param>
    /// <param name="sequence">Inbound ring sequence of <paramref name="last"/>.</param>
    /// <param name="state">The symbol's state: <see cref="SymbolState.Book"/> holds the message applied.</param>
    /// <param name="signal">The core's signal for this message (top of book, OBI, microprice).</param>
    public virtual void OnDepthApplied(ref readonly MarketEvent last, long sequence, SymbolState state, ref readonly SignalEvent signal)
    {
    }

    /// <summary>A trade or aggTrade of a subscribed symbol (<see cref="EvaluatorInputs.Trade"/>).</summary>
    /// <param name="e">The event (<see cref="MarketEvent.Kind"/> says which); valid only during the call.</param>
    /// <param name="sequence">Its inbound ring sequence.</param>
    public virtual void OnTrade(ref readonly MarketEvent e, long sequence)
    {
    }

    /// <summary>
    /// An execution report about one of this evaluator's own orders (<see cref="EvaluatorInputs.ExecutionReport"/>): its
    /// acknowledgement, a fill, its cancel, expiry or rejection, or the rejection of one of its cancels.
    /// </summary>
    /// <param name="report">The report, read from the slot (valid only during the call).</param>
    /// <param name="slot">The inbound slot holding it (its times; the cause to pass to <see cref="EvaluatorContext.Emit{TBody}"/>).</param>
    /// <param name="sequence">Its inbound ring sequence.</param>
    /// <remarks>Called only for the evaluator whose id is in <see cref="ExecutionReport.ClientOrderId"/> (or, when that is not
    /// positive, in <see cref="ExecutionReport.CommandClientOrderId"/>), after the core's <see cref="Orders.OrderLedger"/>
    /// applied the report, so <see cref="EvaluatorContext.Orders"/> already shows it. Reports reach the core only when an
    /// order gateway runs (<see cref="Orders.OrderLedgerOptions.Trading"/>).</remarks>
    public virtual void OnExecutionReport(in ExecutionReport report, ref readonly MarketEvent slot, long sequence)
    {
    }

    /// <summary>Sizes the evaluator's tables (cold path, once). The default does nothing.</summary>
    /// <param name="context">This evaluator's context.</param>
    protected virtual void OnAttach(EvaluatorContext context)
    {
    }
}
