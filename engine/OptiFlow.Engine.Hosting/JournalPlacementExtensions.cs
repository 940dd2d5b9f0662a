namespace OptiFlow.Engine.Hosting;

/// <summary>Parses a <see cref="JournalPlacement"/>'s command-line name (<c>--journal-placement</c>).</summary>
/// <remarks>Stateless: thread-safe.</remarks>
public static class JournalPlacementExtensions
{
    /// <summary>The names <see cref="TryParse"/> knows, for messages: <c>auto, own-thread or core-thread</c>.</summary>
    public const string Names = "auto, own-thread or core-thread";

    /// <summary>Parses <c>auto</c>, <c>own-thread</c> or <c>core-thread</c> (exactly so).</summary>
    /// <param name="value">The name.</param>
    /// <param name="placement">The placement, when recognised; <see cref="JournalPlacement.Auto"/> otherwise.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? value, out JournalPlacement placement)
    {
        placement = value switch
        {
            "own-thread" => JournalPlacement.OwnThread,
            "core-thread" => JournalPlacement.CoreThread,
            _ => JournalPlacement.Auto,
        };
        return value is "auto" or "own-thread" or "core-thread";
    }
}
