using System.CommandLine;
using System.Globalization;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli.Commands;
using OptiFlow.Cli.Output;
using OptiFlow.Cli.Replay;
using OptiFlow.Cli.Session;
using OptiFlow.Engine.Affinity;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;

namespace OptiFlow.Cli;

/// <summary>
/// The <c>optiflow</c> command line: <c>demo</c>, <c>run</c>, <c>book</c>, <c>signals</c>, <c>replay</c>.
/// Exit codes: 0 success, 1 the data had errors that the run reported (or a replay differed), 2 bad usage, 3 the
/// engine failed to finish (a consumer thread did not drain or stop within the drain timeout).
/// </summary>
internal static class OptiFlowCommand
{
    public const int Success = 0;
    public const int DataErrors = 1;
    public const int BadUsage = 2;
    public const int EngineFailure = 3;

    /// <summary>The recording shipped with the tool for <c>optiflow demo</c> (see Data/PROVENANCE.md).</summary>
    public static string DemoRecording => Path.Combine(AppContext.BaseDirectory, "Data", "btcusdt_20230404.dat.gz");

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                error.WriteLine($"optiflow: {parseError.Message}");
            }

            var verb = parse.CommandResult.Command is RootCommand ? string.Empty : parse.CommandResult.Command.Name + " ";
            error.WriteLine($"Run 'optiflow {verb}--help' for usage.");
            return BadUsage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return BadUsage;
        }
        catch (CpuAffinityException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return BadUsage;
        }
        catch (FileNotFoundException e)
        {
            error.WriteLine($"optiflow: file not found: {e.FileName ?? e.Message}");
            return BadUsage;
        }
        catch (DirectoryNotFoundException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return BadUsage;
        }
        catch (JournalFormatException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return DataErrors;
        }
        catch (JournalCorruptException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return DataErrors;
        }
        catch (TimeoutException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return EngineFailure;
        }
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("OptiFlow.Engine: a low-latency Binance engine on lock-free rings. Decode → ring → core (books, OBI) ∥ journal → replay.");
        // One file per verb under Commands/; each adds itself here.
        root.Subcommands.Add(DemoCommand.Build(output));
        root.Subcommands.Add(RunCommand.Build(output));
        root.Subcommands.Add(BookCommand.Build(output));
        root.Subcommands.Add(SignalsCommand.Build(output));
        root.Subcommands.Add(ReplayCommand.Build(output));
        root.Subcommands.Add(JournalCommand.Build(output));
        root.Subcommands.Add(SimulateCommand.Build(output));
        root.Subcommands.Add(RecordCommand.Build(output));
        _ = error;
        return root;
    }

    internal static Option<string> MarketOption() => new("--market")
    {
        Description = "futures (USDⓈ-M or COIN-M: the pu rule) or spot (the U rule)",
        Required = true,
    };

    internal static Argument<string[]> FilesArgument() => new("FILE")
    {
        Description = "Recordings (plain or .gz) read in order as one session; see --format",
        Arity = ArgumentArity.OneOrMore,
    };

    internal static Option<string> FormatOption() => new("--format")
    {
        Description = "Recording format: auto (default, detected from the first line), hftbacktest, cryptofeed (*.ws.1.0; its *.http.0.0 snapshots are added), jsonl",
        DefaultValueFactory = _ => "auto",
    };

    internal static RecordingFormat ParseFormat(string? value) => RecordingReaders.TryParse(value, out var format)
        ? format
        : throw new UsageException($"--format must be auto, hftbacktest, cryptofeed or jsonl, not '{value}'");

    /// <summary>The files a session reads and their resolved format (cryptofeed brings its snapshot files).</summary>
    internal static (IReadOnlyList<string> Files, RecordingFormat Format) SessionInput(string? format, string[]? files)
    {
        var requested = ParseFormat(format);
        var checkedFiles = CheckFiles(files);
        var resolved = RecordingReaders.Resolve(requested, checkedFiles);
        return (RecordingReaders.SessionFiles(resolved, checkedFiles), resolved);
    }

    internal static Option<int?> CoreCpuOption() => new("--core-cpu")
    {
        Description = "Pin the core thread to this CPU (sched_setaffinity from inside the thread)",
    };

    internal static Option<string> WaitStrategyOption() => new("--wait-strategy")
    {
        Description = "Consumers' wait strategy: yielding (default), blocking, sleeping, busy-spin (isolated cores only)",
        DefaultValueFactory = _ => "yielding",
    };

    internal static Option<string?> JournalOption(string description) => new("--journal") { Description = description };

    internal static int RunAndReplay(TextWriter output, Market market, IReadOnlyList<string> files, string journal, int? coreCpu, WaitStrategyKind wait, RecordingFormat format = RecordingFormat.Hftbacktest)
    {
        var result = RecordingSession.Run(new SessionOptions
        {
            Market = market,
            Files = files,
            Format = format,
            JournalDirectory = journal,
            CoreCpu = coreCpu,
            WaitStrategy = wait,
        });
        RunReport.Print(result, output);
        output.WriteLine();
        var replay = JournalReplay.Run(journal);
        RunReport.PrintReplay(replay, output);
        if (!replay.Identical)
        {
            return DataErrors;
        }

        return result.HadDataErrors ? DataErrors : Success;
    }

    internal static int ReportDataErrorsOnly(SessionResult result)
    {
        if (!result.HadDataErrors)
        {
            return Success;
        }

        var error = Console.Error;
        error.WriteLine($"optiflow: the data had errors: {result.Core.DecodeErrors} decode errors");
        foreach (var record in result.Core.RecordedErrors)
        {
            error.WriteLine($"  {result.Options.Files[record.FileIndex]}:{record.Line}: {record.Code} at byte {record.Offset}");
        }

        foreach (var state in result.Core.Symbols)
        {
            if (state.Gaps > 0 || state.CrossedBooks > 0 || state.PendingOverflowMessages > 0)
            {
                error.WriteLine($"  {result.Symbols.NameOf(state.SymbolId)}: {state.Gaps} gaps, {state.CrossedBooks} crossed books, {state.PendingOverflowMessages} diffs lost to buffer overflow");
            }
        }

        return DataErrors;
    }

    internal static Market ParseMarket(string? value) => value?.ToLowerInvariant() switch
    {
        "futures" or "usdm" or "coinm" => Market.Futures,
        "spot" => Market.Spot,
        _ => throw new UsageException($"--market must be 'futures' or 'spot', not '{value}'"),
    };

    internal static WaitStrategyKind ParseWait(string? value) => value?.ToLowerInvariant() switch
    {
        null or "yielding" => WaitStrategyKind.Yielding,
        "blocking" => WaitStrategyKind.Blocking,
        "sleeping" => WaitStrategyKind.Sleeping,
        "busy-spin" or "busyspin" => WaitStrategyKind.BusySpin,
        _ => throw new UsageException($"--wait-strategy must be yielding, blocking, sleeping or busy-spin, not '{value}'"),
    };

    internal static string[] CheckFiles(string[]? files)
    {
        if (files is null || files.Length == 0)
        {
            throw new UsageException("give at least one recording FILE");
        }

        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new UsageException($"file not found: {file}");
            }
        }

        return files;
    }

    internal static string DefaultJournal(string verb) => Path.Combine(
        Path.GetTempPath(),
        "optiflow",
        string.Create(CultureInfo.InvariantCulture, $"{verb}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}"));
}
