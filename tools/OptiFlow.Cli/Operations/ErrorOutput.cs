namespace OptiFlow.Cli.Operations;

/// <summary>
/// Standard error shared by the log (whole lines) and the progress line (one line redrawn in place with <c>\r</c>): a
/// log line first clears the progress line, so the two never mix; the progress thread redraws it at its next tick.
/// </summary>
/// <remarks>Any thread: writes are serialised by a lock. A writer that fails (standard error closed or full) is ignored:
/// the exit code still says how the run ended.</remarks>
internal sealed class ErrorOutput(TextWriter writer)
{
    private readonly Lock _gate = new();
    private int _progressLength;

    /// <summary>The widest progress line drawn (the terminal's width less one, so it never wraps: <c>\r</c> returns to
    /// the start of the last row only); longer lines are cut. Default: no limit.</summary>
    public int ProgressWidth { get; init; } = int.MaxValue;

    /// <summary>Writes one whole line (its line ends replaced by spaces), after clearing the progress line.</summary>
    /// <param name="line">The line, e.g. <c>optiflow: …</c>.</param>
    public void WriteLine(string line)
    {
        lock (_gate)
        {
            Write(ClearText() + line.ReplaceLineEndings(" ") + Environment.NewLine);
        }
    }

    /// <summary>Draws the progress line in place: <c>\r</c>, the text, spaces over what a longer previous line left.</summary>
    /// <param name="text">One line of text.</param>
    public void DrawProgress(string text)
    {
        if (text.Length > ProgressWidth)
        {
            text = text[..ProgressWidth];
        }

        lock (_gate)
        {
            var pad = Math.Max(0, _progressLength - text.Length);
            _progressLength = text.Length;
            Write("\r" + text + new string(' ', pad));
        }
    }

    /// <summary>Clears the progress line, if one is drawn, and puts the cursor back at the start of the line.</summary>
    public void ClearProgress()
    {
        lock (_gate)
        {
            Write(ClearText());
        }
    }

    private string ClearText()
    {
        if (_progressLength == 0)
        {
            return string.Empty;
        }

        var clear = "\r" + new string(' ', _progressLength) + "\r";
        _progressLength = 0;
        return clear;
    }

    private void Write(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        try
        {
            writer.Write(text);
            writer.Flush();
        }
        catch (IOException)
        {
            // Standard error is gone: nothing more to say it with.
        }
        catch (ObjectDisposedException)
        {
            // Likewise.
        }
    }
}
