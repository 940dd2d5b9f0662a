using System.CommandLine;
using System.Globalization;
using OptiFlow.Engine.Hosting.Reports;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow report compare BASE NEW [--max-regression 10%] [--percentiles 50,99,99.9]</c>: two <c>report.json</c>
/// files (or their directories) side by side; exit 1 when a chosen percentile of a stage regressed beyond the threshold
/// or an output digest differs, 0 otherwise, 2 on bad usage.
/// </summary>
internal static class ReportCommand
{
    public static Command Build(TextWriter output)
    {
        var baseReport = new Argument<string>("BASE") { Description = "The base report.json, or the --report directory holding it" };
        var newReport = new Argument<string>("NEW") { Description = "The new report.json, or the --report directory holding it" };
        var maxRegression = new Option<string>("--max-regression")
        {
            Description = "The allowed increase of a percentile, e.g. 10% or 0.1 (default 10%)",
            DefaultValueFactory = _ => "10%",
        };
        var percentiles = new Option<string>("--percentiles")
        {
            Description = "Comma-separated percentiles to check, from 50, 90, 99, 99.9 (default 50,99,99.9)",
            DefaultValueFactory = _ => "50,99,99.9",
        };
        var compare = new Command("compare", "Compare two reports: latency percentiles per stage, and output digests (books, signals).")
        {
            baseReport, newReport, maxRegression, percentiles,
        };
        compare.SetAction(parse =>
        {
            var threshold = ParseThreshold(parse.GetValue(maxRegression));
            var chosen = ParsePercentiles(parse.GetValue(percentiles));
            ReportComparison comparison;
            try
            {
                comparison = ReportComparison.Compare(parse.GetValue(baseReport)!, parse.GetValue(newReport)!, threshold, chosen);
            }
            catch (InvalidDataException e)
            {
                throw new UsageException(e.Message);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            catch (FileNotFoundException e)
            {
                throw new UsageException(e.Message);
            }

            Print(comparison, threshold, output);
            return comparison.Failed ? DataErrors : Success;
        });
        var report = new Command("report", "Work with the reports that --report writes.") { compare };
        return report;
    }

    private static void Print(ReportComparison comparison, double threshold, TextWriter output)
    {
        output.WriteLine("stage                 percentile       base (ns)        new (ns)     change");
        foreach (var row in comparison.Stages)
        {
            var change = row.Change is { } c ? c.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture) : "n/a";
            var mark = row.Regressed ? "  REGRESSED" : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Stage,-21} {row.Percentile,-10} {row.BaseNs,15:N0} {row.NewNs,15:N0} {change,10}{mark}"));
        }

        foreach (var note in comparison.Notes)
        {
            output.WriteLine($"  ({note})");
        }

        foreach (var difference in comparison.DigestDifferences)
        {
            output.WriteLine($"DIGEST: {difference}");
        }

        var regressed = comparison.Stages.Where(s => s.Regressed).Select(s => $"{s.Stage} {s.Percentile}").ToList();
        var limit = threshold.ToString("0.##%", CultureInfo.InvariantCulture);
        if (regressed.Count > 0)
        {
            output.WriteLine($"verdict: REGRESSED beyond {limit}: {string.Join(", ", regressed)}");
        }

        output.WriteLine(comparison.Failed
            ? comparison.DigestDifferences.Count > 0 ? "verdict: OUTPUT DIFFERS (digests)" : "verdict: FAILED"
            : $"verdict: OK (no chosen percentile above +{limit}, digests equal)");
    }

    internal static double ParseThreshold(string? value)
    {
        var text = value?.Trim() ?? string.Empty;
        var percent = text.EndsWith('%');
        if (percent)
        {
            text = text[..^1];
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || double.IsInfinity(number))
        {
            throw new UsageException($"--max-regression must be a non-negative number or percentage (10% or 0.1), not '{value}'");
        }

        return percent ? number / 100 : number;
    }

    internal static List<double> ParsePercentiles(string? value)
    {
        var list = new List<double>();
        foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
            {
                throw new UsageException($"--percentiles must be numbers such as 50,99,99.9, not '{part}'");
            }

            try
            {
                ReportComparison.KeyOf(p);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--percentiles: {e.Message}");
            }

            list.Add(p);
        }

        return list.Count > 0 ? list : throw new UsageException("--percentiles needs at least one percentile");
    }
}
