namespace OptiFlow.Cli.Operations;

/// <summary>When the progress line is drawn (<c>--progress</c>).</summary>
internal enum ProgressMode
{
    /// <summary>When standard error is the process's own and a terminal (not redirected): the default.</summary>
    Auto,

    /// <summary>Always, even into a pipe or a file (and into a test's writer).</summary>
    Always,

    /// <summary>Never.</summary>
    Never,
}
