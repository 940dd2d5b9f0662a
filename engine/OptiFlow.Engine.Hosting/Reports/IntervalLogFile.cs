using System.Globalization;
using System.Text;
using HdrHistogram;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// <c>latency.hlog</c> on disk: HdrHistogram's interval log as the package's <see cref="HistogramLogWriter"/> writes it
/// (header, legend, one <c>Tag=…</c> line per interval histogram), transcoded from the writer's UTF-16 to UTF-8 so
/// HdrHistogram's Java and Python tools read it as well as the package's <see cref="HistogramLogReader"/>.
/// </summary>
/// <remarks>Cold path (a control thread, or after the run): allocates the text of each line. Not thread-safe.
/// Numbers are formatted with the invariant culture whatever the thread's culture.</remarks>
internal sealed class IntervalLogFile : IDisposable
{
    private readonly FileStream _file;
    private readonly MemoryStream _utf16 = new();
    private readonly HistogramLogWriter _writer;

    /// <summary>Creates (replaces) the file and writes the header: format version, start time, legend, and our comment.</summary>
    /// <param name="path">The file.</param>
    /// <param name="startMs">The log's start time, ms since the Unix epoch.</param>
    /// <param name="intervalText">What one interval covers, for the comment ("1 s of wall clock", "the whole run").</param>
    /// <param name="tags">The stage keys, for the comment.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public IntervalLogFile(string path, long startMs, string intervalText, IEnumerable<string> tags)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _writer = new HistogramLogWriter(_utf16);
        Invariant(() => _writer.Write(DateTimeOffset.FromUnixTimeMilliseconds(startMs).UtcDateTime));
        Comment($"#[OptiFlow latency intervals: one interval per stage per {intervalText}, Tag = the stage's key in report.json: {string.Join(", ", tags)}]");
        Comment("#[Values are recorded in ns, as the histograms of latency/<stage>.hgrm, which prints them in us: read with an output value unit ratio of 1000 for us (the Interval_Max column is the package's ns / 10^6, in ms)]");
        _file.Flush();
    }

    /// <summary>Appends one interval histogram (its <see cref="HistogramBase.Tag"/>, start and end timestamps set).</summary>
    /// <param name="interval">The interval.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Append(HistogramBase interval) => Invariant(() => _writer.Append(interval));

    /// <summary>Flushes the file, so a killed process keeps every interval appended so far.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Flush() => _file.Flush();

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }

    private void Comment(string line) => _file.Write(Encoding.UTF8.GetBytes(line + "\n"));

    private void Invariant(Action write)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            write();
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        // The writer flushes each line into the UTF-16 buffer; move it to the file as UTF-8 (without the BOM).
        var text = Encoding.Unicode.GetString(_utf16.GetBuffer(), 0, (int)_utf16.Length).TrimStart('\uFEFF');
        _file.Write(Encoding.UTF8.GetBytes(text));
        _utf16.SetLength(0);
    }
}
