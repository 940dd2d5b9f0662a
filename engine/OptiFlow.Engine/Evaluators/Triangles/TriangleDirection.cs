namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>Which way a cycle goes round its triangle (<see cref="Triangle"/>: start asset S, other assets A &lt; B, ordinal).</summary>
/// <remarks>Values are part of the <see cref="TriangleOpportunity"/> record layout (journaled): never renumber.</remarks>
public enum TriangleDirection : byte
{
    /// <summary>S → A → B → S.</summary>
    Forward = 0,

    /// <summary>S → B → A → S.</summary>
    Reverse = 1,
}
