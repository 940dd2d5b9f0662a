using System.Globalization;
using System.Net;
using System.Text;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// One line chart as inline SVG (no script, no external reference): axes with ticks, one path per series, a legend, and
/// a <c>&lt;title&gt;</c> naming the chart (what a browser shows and what tests look for).
/// </summary>
/// <remarks>
/// Cold path (report writing): allocates the text. X is linear in the caller's units (the percentile chart passes
/// <c>log10(1/(1−p))</c> and labels its ticks itself); Y is linear or log10 (<see cref="LogY"/>: values ≤ 0 are left
/// out). Series with up to <see cref="MarkerLimit"/> points also get a dot per point, so a 3-second run still shows.
/// </remarks>
internal sealed class SvgLineChart
{
    /// <summary>Series with at most this many points get a marker per point.</summary>
    public const int MarkerLimit = 60;

    private const int Width = 1280;
    private const int Height = 300;
    private const int Left = 90;
    private const int Right = 230;
    private const int Top = 34;
    private const int Bottom = 46;

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

    /// <summary>The element id (unique in the page).</summary>
    public required string Id { get; init; }

    /// <summary>The chart's title, shown above it and as its SVG title.</summary>
    public required string Title { get; init; }

    /// <summary>The x axis label.</summary>
    public required string XLabel { get; init; }

    /// <summary>The y axis label.</summary>
    public required string YLabel { get; init; }

    /// <summary>True: the x axis starts at 0 at most (time from the start of a run).</summary>
    public bool XFromZero { get; init; }

    /// <summary>True: log10 y axis (ticks at powers of 10).</summary>
    public bool LogY { get; init; }

    /// <summary>Explicit x ticks (position, label); null: nice linear ticks labelled with <see cref="XTickLabel"/>.</summary>
    public IReadOnlyList<(double X, string Label)>? XTicks { get; init; }

    /// <summary>How a linear x tick is written.</summary>
    public Func<double, string> XTickLabel { get; init; } = v => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>How a y tick is written.</summary>
    public Func<double, string> YTickLabel { get; init; } = v => v.ToString("0.#####", CultureInfo.InvariantCulture);

    /// <summary>The series, drawn in order.</summary>
    public List<(string Name, IReadOnlyList<(double X, double Y)> Points)> Series { get; } = [];

    /// <summary>The chart as an <c>&lt;svg&gt;</c> element.</summary>
    /// <returns>SVG markup, or a paragraph saying there is nothing to draw.</returns>
    public string Render()
    {
        var points = Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!LogY || p.Y > 0)).ToList();
        if (points.Count == 0)
        {
            return $"<p class=\"empty\" id=\"{Id}\">{Html(Title)}: no data.</p>";
        }

        var (xMin, xMax) = Range(XFromZero ? points.Select(p => p.X).Append(0) : points.Select(p => p.X), pad: false);
        var (yMin, yMax) = LogY
            ? (Math.Floor(Math.Log10(points.Min(p => p.Y))), Math.Ceiling(Math.Log10(points.Max(p => p.Y))))
            : Range(points.Select(p => p.Y), pad: true);
        if (LogY && yMax <= yMin)
        {
            yMax = yMin + 1;
        }

        double X(double x) => Left + ((x - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - (((LogY ? Math.Log10(y) : y) - yMin) / (yMax - yMin) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"{Id}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Html(Title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"20\" class=\"title\">{Html(Title)}</text>");

        // Grid and ticks.
        var xTicks = XTicks?.Where(t => t.X >= xMin - 1e-9 && t.X <= xMax + 1e-9).ToList()
            ?? [.. NiceTicks(xMin, xMax).Select(t => (t, XTickLabel(t)))];
        foreach (var (x, label) in xTicks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{X(x):F1}\" y1=\"{Top}\" x2=\"{X(x):F1}\" y2=\"{Height - Bottom}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{X(x):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Html(label)}</text>");
        }

        var yTicks = LogY
            ? Enumerable.Range((int)yMin, (int)(yMax - yMin) + 1).Select(e => Math.Pow(10, e)).ToList()
            : NiceTicks(yMin, yMax);
        foreach (var y in yTicks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" y1=\"{Y(y):F1}\" x2=\"{Width - Right}\" y2=\"{Y(y):F1}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Y(y) + 4:F1}\" text-anchor=\"end\">{Html(YTickLabel(y))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"frame\" x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Html(XLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" transform=\"translate(16,{(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Html(YLabel)}</text>");

        // Series and legend.
        for (var i = 0; i < Series.Count; i++)
        {
            var (name, raw) = Series[i];
            var color = Palette[i % Palette.Length];
            var visible = raw.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!LogY || p.Y > 0)).ToList();
            if (visible.Count > 0)
            {
                var path = new StringBuilder();
                foreach (var (x, y) in visible)
                {
                    path.Append(CultureInfo.InvariantCulture, $"{(path.Length == 0 ? 'M' : 'L')}{X(x):F1} {Y(y):F1}");
                }

                svg.Append(CultureInfo.InvariantCulture, $"<path class=\"series\" stroke=\"{color}\" d=\"{path}\"><title>{Html(name)}</title></path>");
                if (visible.Count <= MarkerLimit)
                {
                    foreach (var (x, y) in visible)
                    {
                        svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(x):F1}\" cy=\"{Y(y):F1}\" r=\"3\" fill=\"{color}\"/>");
                    }
                }
            }

            var legendY = Top + 6 + (i * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 14}\" y1=\"{legendY}\" x2=\"{Width - Right + 34}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"legend\" x=\"{Width - Right + 40}\" y=\"{legendY + 4}\">{Html(name)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Text escaped for HTML and SVG.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The escaped text.</returns>
    public static string Html(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A latency in ns written with its unit: "850 ns", "12.5 µs", "3 ms".</summary>
    /// <param name="ns">Nanoseconds.</param>
    /// <returns>The text.</returns>
    public static string Nanoseconds(double ns) => ns switch
    {
        < 1e3 => string.Create(CultureInfo.InvariantCulture, $"{ns:0.#} ns"),
        < 1e6 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e3:0.##} µs"),
        < 1e9 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e6:0.##} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e9:0.##} s"),
    };

    private static (double Min, double Max) Range(IEnumerable<double> values, bool pad)
    {
        var list = values.ToList();
        var (min, max) = (list.Min(), list.Max());
        if (max <= min)
        {
            var half = Math.Abs(min) > 0 ? Math.Abs(min) * 0.01 : 1;
            return (min - half, max + half);
        }

        var margin = pad ? (max - min) * 0.05 : 0;
        return (min - margin, max + margin);
    }

    private static List<double> NiceTicks(double min, double max)
    {
        var raw = (max - min) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = (raw / magnitude) switch { < 1.5 => magnitude, < 3 => 2 * magnitude, < 7 => 5 * magnitude, _ => 10 * magnitude };
        var ticks = new List<double>();
        for (var t = Math.Ceiling(min / step) * step; t <= max + (step * 1e-9); t += step)
        {
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        }

        return ticks;
    }
}
