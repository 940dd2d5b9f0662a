namespace OptiFlow.Engine.Hosting;

/// <summary>One consumer thread of a session and the wait strategy it waits with (<see cref="EngineSession.Consumers"/>).</summary>
/// <param name="Thread">The thread's name, e.g. <c>optiflow-core</c>.</param>
/// <param name="WaitStrategy">The strategy's type name, e.g. <c>BlockingWaitStrategy</c>.</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record ConsumerWaitStrategy(string Thread, string WaitStrategy);
