using NUnit.Framework;
using OptiFlow.Engine.Model;

namespace OptiFlow.Testing;

/// <summary>
/// Locates the recorded Binance data (<c>shared/data/binance</c>, see its PROVENANCE.md) for tests and benchmarks.
/// </summary>
/// <remarks>
/// The repository is checked out as <c>X/main</c> with <c>X/shared</c> beside it. The root is found by walking up from
/// <see cref="AppContext.BaseDirectory"/> to the folder holding <c>OptiFlow.Engine.sln</c>; the data is then
/// <c>&lt;root&gt;/../shared/data/binance</c>. The environment variable <c>OPTIFLOW_DATA</c> overrides this (it names
/// the <c>binance</c> folder itself). When data is absent, tests are ignored with a clear message, unless
/// <c>OPTIFLOW_REQUIRE_DATA=1</c>, which makes them fail (CI).
/// </remarks>
public static class RecordingData
{
    /// <summary>Environment variable naming the data folder (the one holding PROVENANCE.md).</summary>
    public const string DataVariable = "OPTIFLOW_DATA";

    /// <summary>Environment variable that turns a missing file into a failure when set to 1.</summary>
    public const string RequireVariable = "OPTIFLOW_REQUIRE_DATA";

    private static readonly Lazy<string?> LazyRoot = new(FindRoot);

    /// <summary>The data folder, or null when it cannot be found.</summary>
    public static string? Root => LazyRoot.Value;

    /// <summary>Every hftbacktest example file (PROVENANCE §1) with its market; files that are absent are left out.</summary>
    /// <remarks><c>usdm</c> and <c>cm</c> are <see cref="Market.Futures"/>; <c>spot</c> is <see cref="Market.Spot"/>.</remarks>
    public static IReadOnlyList<RecordingFile> HftbacktestExamples
    {
        get
        {
            var root = Root;
            var folder = root is null ? null : Path.Combine(root, "hftbacktest", "examples");
            if (folder is null || !Directory.Exists(folder))
            {
                return [];
            }

            var files = new List<RecordingFile>();
            foreach (var (sub, market) in new[] { ("usdm", Market.Futures), ("cm", Market.Futures), ("spot", Market.Spot) })
            {
                var dir = Path.Combine(folder, sub);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                {
                    files.Add(new RecordingFile(file, Path.GetRelativePath(root!, file), market));
                }
            }

            return files;
        }
    }

    /// <summary>
    /// Full path of <paramref name="relativePath"/> under the data folder. When it is absent the test is ignored
    /// (<see cref="Assert.Ignore(string)"/>), or failed when <c>OPTIFLOW_REQUIRE_DATA=1</c>.
    /// </summary>
    /// <param name="relativePath">Path under <c>shared/data/binance</c>, with '/' separators.</param>
    /// <returns>The full path of an existing file or folder.</returns>
    public static string Require(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var root = Root;
        var path = root is null ? relativePath : Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar));
        if (root is not null && (File.Exists(path) || Directory.Exists(path)))
        {
            return path;
        }

        var message = $"Recorded data absent: {path} (set {DataVariable} or place ../shared beside the repo)";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        return path;
    }

    private static string? FindRoot()
    {
        var overridden = Environment.GetEnvironmentVariable(DataVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return Directory.Exists(overridden) ? Path.GetFullPath(overridden) : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OptiFlow.Engine.sln")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "binance"));
                return Directory.Exists(data) ? data : null;
            }
        }

        return null;
    }
}
