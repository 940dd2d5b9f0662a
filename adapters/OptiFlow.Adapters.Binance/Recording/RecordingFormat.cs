namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>The line formats of the recordings in <c>shared/data/binance</c> (PROVENANCE §1, §3, §4).</summary>
public enum RecordingFormat : byte
{
    /// <summary>Detect from the first non-empty line of the first file (<see cref="RecordingReaders.Detect"/>).</summary>
    Auto = 0,

    /// <summary>hftbacktest collector: <c>&lt;ns or µs&gt; &lt;frame&gt;</c> per line (PROVENANCE §1, §2); <see cref="RecordingReader"/>.</summary>
    Hftbacktest = 1,

    /// <summary>
    /// cryptofeed raw capture: <c>*.ws.1.0</c> (<c>&lt;secs&gt;: &lt;frame&gt;</c>) with <c>*.http.0.0</c> REST snapshots
    /// (<c>&lt;url&gt; -&gt; &lt;secs&gt;: &lt;body&gt;</c>), PROVENANCE §3; <see cref="CryptofeedRecordingReader"/>.
    /// </summary>
    Cryptofeed = 2,

    /// <summary>JSON lines, one raw frame per line, no timestamps (PROVENANCE §4); <see cref="JsonLinesRecordingReader"/>.</summary>
    Jsonl = 3,
}
