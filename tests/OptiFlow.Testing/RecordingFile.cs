using OptiFlow.Engine.Model;

namespace OptiFlow.Testing;

/// <summary>One recorded data file and the market it was recorded on.</summary>
/// <param name="FullPath">Absolute path.</param>
/// <param name="RelativePath">Path under the data folder (used as a readable test-case name).</param>
/// <param name="Market">Spot or futures (USDⓈ-M and COIN-M).</param>
public sealed record RecordingFile(string FullPath, string RelativePath, Market Market)
{
    /// <inheritdoc />
    public override string ToString() => RelativePath;
}
