namespace OptiFlow.Journal.Session;

/// <summary>One evaluator a session ran, as its session header records it, so a replay builds the same one.</summary>
/// <param name="Name">The evaluator factory's name (a catalog key, e.g. <c>triangles</c>).</param>
/// <param name="Configuration">The factory's configuration, opaque to the journal (JSON by convention).</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record EvaluatorSpecRecord(string Name, string Configuration);
