namespace OptiFlow.Engine.Outbound;

/// <summary>What an <see cref="OutboundEvent"/> slot holds (<see cref="OutboundEventDescriptor.KindOffset"/>, int32).</summary>
/// <remarks>Values are part of the slot layout: never renumber.</remarks>
public enum OutboundEventKind
{
    /// <summary>An unwritten slot; never published.</summary>
    None = 0,

    /// <summary>A <see cref="Evaluators.SignalEvent"/>: the core's evaluation after an applied depth message. Journaled.</summary>
    Signal = 1,

    /// <summary>A <see cref="Outbound.SnapshotRequest"/>: the core asks for a fresh depth snapshot of one symbol. Journaled.</summary>
    SnapshotRequest = 2,

    /// <summary>An <see cref="Orders.OrderCommand"/> for the order gateway. Journaled.</summary>
    OrderCommand = 3,

    /// <summary>
    /// One level of a book view (<see cref="Outbound.BookLevel"/>) for printers; framed like a depth message (begin/end
    /// flags on the first and last level). Not a decision: never journaled.
    /// </summary>
    BookLevel = 4,

    /// <summary>An <see cref="Evaluators.EvaluatorRecord"/>: an evaluator's typed output (opportunity, flow signal, fault). Journaled.</summary>
    EvaluatorRecord = 5,
}
