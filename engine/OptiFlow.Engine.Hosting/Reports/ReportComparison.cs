using System.Globalization;
using System.Text.Json;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// Two <c>report.json</c> files side by side: each stage's chosen percentiles and whether any regressed beyond a
/// threshold, and whether the output digests (books, signals) differ.
/// </summary>
/// <remarks>Cold path: reads and parses both files (allocates). A stage missing from either report, or with no values in
/// the base, is compared by nobody: it is listed in <see cref="Notes"/>.</remarks>
public sealed class ReportComparison
{
    private ReportComparison(IReadOnlyList<StageComparison> stages, IReadOnlyList<string> digestDifferences, IReadOnlyList<string> notes)
    {
        Stages = stages;
        DigestDifferences = digestDifferences;
        Notes = notes;
    }

    /// <summary>Each stage's chosen percentiles, in the base report's stage order.</summary>
    public IReadOnlyList<StageComparison> Stages { get; }

    /// <summary>One line per output digest that differs (books, signals, signal count).</summary>
    public IReadOnlyList<string> DigestDifferences { get; }

    /// <summary>Stages that could not be compared and why.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Whether any percentile regressed or any digest differs.</summary>
    public bool Failed => DigestDifferences.Count > 0 || Stages.Any(s => s.Regressed);

    /// <summary>The report key of a percentile: 50 → <c>p50</c>, 99.9 → <c>p99_9</c>.</summary>
    /// <param name="percentile">A percentile the report holds (see <see cref="SessionReport.Percentiles"/>).</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The report does not hold that percentile.</exception>
    public static string KeyOf(double percentile)
    {
        foreach (var (key, value) in SessionReport.Percentiles)
        {
            if (Math.Abs(value - percentile) < 1e-9)
            {
                return key;
            }
        }

        throw new ArgumentException(string.Create(
            CultureInfo.InvariantCulture,
            $"a report holds the percentiles {string.Join(", ", SessionReport.Percentiles.Select(p => p.Percentile))}, not {percentile}"));
    }

    /// <summary>The path of <c>report.json</c>: the file itself, or the one inside a report directory.</summary>
    /// <param name="path">A report file or directory.</param>
    /// <returns>The file path.</returns>
    /// <exception cref="FileNotFoundException">Neither exists.</exception>
    public static string Locate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Directory.Exists(path) ? Path.Combine(path, SessionReport.FileName) : path;
        return File.Exists(file) ? file : throw new FileNotFoundException($"no report at {file}", file);
    }

    /// <summary>Compares two reports.</summary>
    /// <param name="basePath">The base report (file or directory).</param>
    /// <param name="newPath">The new report (file or directory).</param>
    /// <param name="maxRegression">The allowed relative increase, e.g. 0.1 for 10%.</param>
    /// <param name="percentiles">The percentiles to check (each one <see cref="SessionReport.Percentiles"/> holds).</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="FileNotFoundException">A report is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not an OptiFlow report.</exception>
    /// <exception cref="ArgumentException">A percentile the reports do not hold.</exception>
    public static ReportComparison Compare(string basePath, string newPath, double maxRegression, IReadOnlyList<double> percentiles)
    {
        ArgumentNullException.ThrowIfNull(percentiles);
        var keys = percentiles.Select(KeyOf).ToList();
        using var baseReport = Load(Locate(basePath));
        using var newReport = Load(Locate(newPath));
        var stages = new List<StageComparison>();
        var notes = new List<string>();
        var newLatency = newReport.RootElement.GetProperty("latency");
        foreach (var stage in baseReport.RootElement.GetProperty("latency").EnumerateObject())
        {
            if (!newLatency.TryGetProperty(stage.Name, out var other))
            {
                notes.Add($"{stage.Name}: only in the base report");
                continue;
            }

            if (stage.Value.GetProperty("count").GetInt64() == 0)
            {
                notes.Add($"{stage.Name}: no values in the base report");
                continue;
            }

            foreach (var key in keys)
            {
                var baseNs = stage.Value.GetProperty(key).GetInt64();
                var newNs = other.GetProperty(key).GetInt64();
                stages.Add(new StageComparison(stage.Name, key, baseNs, newNs, newNs > baseNs * (1 + maxRegression)));
            }
        }

        foreach (var stage in newLatency.EnumerateObject())
        {
            if (!baseReport.RootElement.GetProperty("latency").TryGetProperty(stage.Name, out _))
            {
                notes.Add($"{stage.Name}: only in the new report");
            }
        }

        var digests = new List<string>();
        var baseDigests = baseReport.RootElement.GetProperty("digests");
        var newDigests = newReport.RootElement.GetProperty("digests");
        foreach (var digest in baseDigests.EnumerateObject())
        {
            var before = digest.Value.ToString();
            var after = newDigests.TryGetProperty(digest.Name, out var value) ? value.ToString() : "(missing)";
            if (before != after)
            {
                digests.Add($"{digest.Name} digest differs: base {before}, new {after}");
            }
        }

        return new ReportComparison(stages, digests, notes);
    }

    private static JsonDocument Load(string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not JSON: {e.Message}", e);
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != SessionReport.Format
            || !root.TryGetProperty("latency", out var latency) || latency.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("digests", out var digests) || digests.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new InvalidDataException($"{file} is not an OptiFlow report (format \"{SessionReport.Format}\" with latency and digests)");
        }

        return document;
    }
}
