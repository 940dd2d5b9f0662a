namespace OptiFlow.Engine.Processing;

/// <summary>An exception a handler threw, with the sequence of the event it was handling.</summary>
/// <param name="Sequence">Sequence of the event being handled, or -1 for <c>OnStart</c>/<c>OnShutdown</c>.</param>
/// <param name="Exception">What was thrown.</param>
public sealed record ProcessorFault(long Sequence, Exception Exception);
