namespace OptiFlow.Engine.Outbound;

/// <summary>Bit flags of an <see cref="OutboundEvent"/> (<see cref="OutboundEventDescriptor.FlagsOffset"/>, int32).</summary>
[Flags]
public enum OutboundEventFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Signal: the book's bid side was empty (the signal's best bid is then 0 and means nothing).</summary>
    BidSideEmpty = 1,

    /// <summary>Signal: the book's ask side was empty (the signal's best ask is then 0 and means nothing).</summary>
    AskSideEmpty = 2,
}
