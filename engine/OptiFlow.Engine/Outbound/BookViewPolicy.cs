namespace OptiFlow.Engine.Outbound;

/// <summary>
/// When the <see cref="OutboundRingPublisher"/> publishes a book view (<see cref="OutboundEventKind.BookLevel"/> slots)
/// after a signal: after every <see cref="Every"/>-th applied depth message of a symbol, its top <see cref="Depth"/>
/// levels per side.
/// </summary>
/// <param name="Depth">Levels per side, at least 1.</param>
/// <param name="Every">Applied messages between views, at least 1 (the view follows the signal whose
/// <c>Applied % Every == 0</c>).</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record BookViewPolicy(int Depth, long Every)
{
    /// <summary>Checks the arguments.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Depth"/> or <see cref="Every"/> is below 1.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Depth, 1, nameof(Depth));
        ArgumentOutOfRangeException.ThrowIfLessThan(Every, 1, nameof(Every));
    }
}
