namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>
/// One triangle of a <see cref="TriangleUniverse"/>: three distinct assets, each pair traded by one of its instruments,
/// and its two cycles (<see cref="TriangleDirection"/>).
/// </summary>
/// <remarks>
/// The cycle starts at <see cref="StartAsset"/>: the first of <see cref="TriangleUniverse.PreferredStartAssets"/>
/// (USDT, USDC, FDUSD, BTC, ETH, BNB) among the three, else the ordinally smallest. <see cref="AssetA"/> &lt;
/// <see cref="AssetB"/> are the other two (ordinal). Forward is S → A → B → S, reverse S → B → A → S. Immutable
/// (cold-path description for printers and strategies; the evaluator runs on flat arrays built from it).
/// </remarks>
public sealed class Triangle
{
    private readonly IReadOnlyList<TriangleLeg> _forward;
    private readonly IReadOnlyList<TriangleLeg> _reverse;

    internal Triangle(int id, string start, string a, string b, TriangleLeg[] forward, TriangleLeg[] reverse)
    {
        Id = id;
        StartAsset = start;
        AssetA = a;
        AssetB = b;
        _forward = Array.AsReadOnly(forward);
        _reverse = Array.AsReadOnly(reverse);
        ForwardPath = $"{start}>{a}>{b}>{start}";
        ReversePath = $"{start}>{b}>{a}>{start}";
    }

    /// <summary>The triangle id: its index in <see cref="TriangleUniverse.Triangles"/>.</summary>
    public int Id { get; }

    /// <summary>The asset both cycles start and end at (the unit of a record's <c>MaxStartQty</c>).</summary>
    public string StartAsset { get; }

    /// <summary>The ordinally smaller of the two other assets.</summary>
    public string AssetA { get; }

    /// <summary>The ordinally larger of the two other assets.</summary>
    public string AssetB { get; }

    /// <summary>The forward cycle as text, e.g. <c>USDT&gt;BTC&gt;ETH&gt;USDT</c>.</summary>
    public string ForwardPath { get; }

    /// <summary>The reverse cycle as text, e.g. <c>USDT&gt;ETH&gt;BTC&gt;USDT</c>.</summary>
    public string ReversePath { get; }

    /// <summary>The cycle's text in one direction.</summary>
    /// <param name="direction">The direction.</param>
    /// <returns>Assets joined by <c>&gt;</c>, start asset first and last.</returns>
    public string Path(TriangleDirection direction) => direction == TriangleDirection.Forward ? ForwardPath : ReversePath;

    /// <summary>The three legs of a cycle, in execution order.</summary>
    /// <param name="direction">The direction.</param>
    /// <returns>Three legs.</returns>
    public IReadOnlyList<TriangleLeg> Legs(TriangleDirection direction) => direction == TriangleDirection.Forward ? _forward : _reverse;

    /// <inheritdoc/>
    public override string ToString() => ForwardPath;
}
