using System.Globalization;
using System.Text;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// A horizontal bar chart as inline SVG: one labelled bar per count, grouped under headings, the count written beside
/// its bar (a zero is written, with no bar), and a <c>&lt;title&gt;</c> naming the chart.
/// </summary>
/// <remarks>Cold path: allocates the text. Bars are linear in the largest count of the chart.</remarks>
internal sealed class SvgBarChart
{
    private const int Width = 1280;
    private const int Row = 20;
    private const int LabelWidth = 300;
    private const int ValueWidth = 120;

    /// <summary>The element id (unique in the page).</summary>
    public required string Id { get; init; }

    /// <summary>The chart's title.</summary>
    public required string Title { get; init; }

    /// <summary>The groups, each a heading and its (label, count) rows, drawn in order.</summary>
    public List<(string Heading, IReadOnlyList<(string Label, long Count)> Rows)> Groups { get; } = [];

    /// <summary>The chart as an <c>&lt;svg&gt;</c> element.</summary>
    /// <returns>SVG markup.</returns>
    public string Render()
    {
        var rows = Groups.Sum(g => g.Rows.Count + 1);
        var height = 34 + (rows * Row) + 10;
        var largest = Math.Max(1, Groups.SelectMany(g => g.Rows).Select(r => r.Count).DefaultIfEmpty(0).Max());
        var barSpace = Width - LabelWidth - ValueWidth - 20;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"{Id}\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{SvgLineChart.Html(Title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"20\" class=\"title\">{SvgLineChart.Html(Title)}</text>");
        var y = 34;
        foreach (var (heading, groupRows) in Groups)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"heading\" x=\"10\" y=\"{y + 14}\">{SvgLineChart.Html(heading)}</text>");
            y += Row;
            foreach (var (label, count) in groupRows)
            {
                var length = count <= 0 ? 0 : Math.Max(1.0, (double)count / largest * barSpace);
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{LabelWidth - 8}\" y=\"{y + 14}\" text-anchor=\"end\">{SvgLineChart.Html(label)}</text>");
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{length:F1}\" height=\"{Row - 6}\"><title>{SvgLineChart.Html(label)}: {count.ToString("N0", CultureInfo.InvariantCulture)}</title></rect>");
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{LabelWidth + length + 6:F1}\" y=\"{y + 14}\">{count.ToString("N0", CultureInfo.InvariantCulture)}</text>");
                y += Row;
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
