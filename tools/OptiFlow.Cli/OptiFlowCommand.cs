using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli.Commands;
using OptiFlow.Cli.Configuration;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Affinity;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;

namespace OptiFlow.Cli;

/// <summary>
/// The <c>optiflow</c> command line: <c>demo</c>, <c>run</c>, <c>book</c>, <c>signals</c>, <c>flow</c>, <c>replay</c>,
/// <c>journal</c>, <c>simulate</c>, <c>record</c>, <c>generate</c>, <c>report</c>, <c>config</c>; every option can also
/// come from a configuration file (<c>--config FILE</c>) or an <c>OPTIFLOW_*</c> environment variable.
/// Exit codes: 0 success, 1 the data had errors that the run reported (or a replay differed), 2 bad usage (including a
/// journal directory refused: not a journal, an existing journal without <c>--overwrite</c>, in use by another writer),
/// 3 the engine failed to finish (a consumer thread did not drain or stop within the drain timeout, or an internal
/// error), 4 the venue failed a live run (no connection, nothing received, the feed down at the end), 5 an I/O failure
/// (the OS refused a file or a port: a full disk, a read-only directory; the message names the path and the errno).
/// </summary>
/// <remarks>The command line's public surface is <see cref="Run"/> and its exit codes; everything it runs comes from
/// the host library (OptiFlow.Engine.Hosting): this class and Commands/ only parse and print.</remarks>
public static class OptiFlowCommand
{
    /// <summary>Exit code: success.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the data had errors the run reported, or a replay differed.</summary>
    public const int DataErrors = 1;

    /// <summary>Exit code: bad usage.</summary>
    public const int BadUsage = 2;

    /// <summary>Exit code: the engine failed to finish (a consumer did not drain or stop in time), or anything
    /// unexpected happened (an internal error: the message says what).</summary>
    public const int EngineFailure = 3;

    /// <summary>Exit code: the venue failed a live run (<c>run --venue</c>): no connection after the configured failed
    /// attempts in a row, nothing received, or a feed down at the end. The last line on standard error names the endpoint
    /// and the last OS or protocol error.</summary>
    public const int VenueFailure = 4;

    /// <summary>Exit code: an I/O failure of the machine, not of the data: a file or directory that cannot be written,
    /// a full disk, a port already in use, standard output closed or full. The message names the path or endpoint and
    /// the OS error; what was committed before it is kept.</summary>
    public const int IoFailure = 5;

    /// <summary>The recording shipped with the tool for <c>optiflow demo</c> (see Data/PROVENANCE.md).</summary>
    public static string DemoRecording => Path.Combine(AppContext.BaseDirectory, "Data", "btcusdt_20230404.dat.gz");

    /// <summary>The demo's spot exchangeInfo: 14 symbols over BTC, ETH, BNB, SOL, XRP and USDT, 16 triangles (see Data/PROVENANCE.md).</summary>
    public static string DemoSpotExchangeInfo => Path.Combine(AppContext.BaseDirectory, "Data", "demo-spot-exchange-info.json");

    /// <summary>The demo's exchangeInfo (BTCUSDT filters and rate limits; see Data/PROVENANCE.md), for pre-trade risk.</summary>
    public static string DemoFilters => Path.Combine(AppContext.BaseDirectory, "Data", "demo-filters.json");

    /// <summary>
    /// Runs one command line with option values from a configuration file (<c>--config FILE</c>, else
    /// <c>OPTIFLOW_CONFIG</c>) and <c>OPTIFLOW_*</c> variables of <paramref name="environment"/>; the command line wins
    /// over the environment, which wins over the file (see the README's Configuration section).
    /// </summary>
    /// <param name="args">The arguments after <c>optiflow</c>.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="environment">The environment variables to read options from; null (the default): the process's.
    /// Credentials are read from the process's environment by the trading venue either way.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string>? environment = null)
    {
        environment ??= ProcessEnvironment();
        var root = Build(output, error, environment);
        var first = root.Parse(args);
        var unknownOptions = UsageSuggestions.UnknownOptions(first);
        if (unknownOptions.Count > 0 || first.UnmatchedTokens.Count > 0)
        {
            // Mistyped options and commands are the command line's own: no configuration can mend them.
            return ReportUsage(first, unknownOptions, [], error);
        }

        List<ConfiguredValue> configured = [];
        var parse = first;
        if (!AsksForHelpOrVersion(first) && CommandConfiguration.IsConfigurable(first.CommandResult.Command))
        {
            try
            {
                configured = Configure(first, environment);
            }
            catch (ConfigurationException e)
            {
                foreach (var problem in e.Errors)
                {
                    error.WriteLine($"optiflow: {problem}");
                }

                error.WriteLine($"Run 'optiflow {CommandConfiguration.PathOf(first.CommandResult.Command)} --help' for usage.");
                return BadUsage;
            }
            catch (UsageException e)
            {
                error.WriteLine($"optiflow: {e.Message}");
                return BadUsage;
            }
            catch (IOException e)
            {
                return Report(error, $"I/O error: {e.Message}", IoFailure);
            }
            catch (UnauthorizedAccessException e)
            {
                return Report(error, $"permission denied: {e.Message}", IoFailure);
            }

            if (configured.Count > 0)
            {
                parse = root.Parse(CommandConfiguration.Merge(args, configured));
            }
        }

        if (parse.Errors.Count > 0)
        {
            return ReportUsage(parse, [], configured, error);
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
        catch (ConfigurationException e)
        {
            foreach (var problem in e.Errors)
            {
                error.WriteLine($"optiflow: {problem}");
            }

            return BadUsage;
        }
        catch (JournalDirectoryException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return BadUsage;
        }
        catch (JournalIOException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return IoFailure;
        }
        catch (CpuAffinityException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return BadUsage;
        }
        catch (EvaluatorConfigurationException e)
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
        catch (DamagedRecordingException e)
        {
            // Damaged or cut gzip data met before a session could run (a cryptofeed snapshot file, data damaged before
            // the market could be read); inside a session the report says it and the exit code is 1 as well.
            error.WriteLine($"optiflow: {e.Message}");
            return DataErrors;
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
        catch (InvalidDataException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return DataErrors;
        }
        catch (TimeoutException e)
        {
            error.WriteLine($"optiflow: {e.Message}");
            return EngineFailure;
        }
        catch (VenueFailureException e)
        {
            return Report(error, e.Message, VenueFailure);
        }
        catch (UnauthorizedAccessException e)
        {
            return Report(error, $"permission denied: {e.Message}", IoFailure);
        }
        catch (IOException e)
        {
            return Report(error, $"I/O error: {e.Message}", IoFailure);
        }
        catch (Exception e)
        {
            // Nothing ends with an unhandled exception and a stack trace: anything unexpected is one line and exit 3.
            return Report(error, $"internal error: {e.GetType().Name}: {e.Message}", EngineFailure);
        }
    }

    /// <summary>Writes one line to <paramref name="error"/> (which may itself be broken) and returns the code.</summary>
    private static int Report(TextWriter error, string message, int code)
    {
        try
        {
            error.WriteLine($"optiflow: {message.ReplaceLineEndings(" ")}");
            error.Flush();
        }
        catch (IOException)
        {
            // Standard error is gone too: the exit code is all that is left to say it.
        }

        return code;
    }

    /// <summary>
    /// Prints a command line's usage errors: unknown options (with the nearest known one), else the parser's errors (a
    /// configured value's error prefixed with its file, line and column or its variable; for a mistyped command only
    /// the parser's error about that token, then the nearest command), then where help is; returns exit code 2.
    /// </summary>
    private static int ReportUsage(ParseResult parse, IReadOnlyList<string> unknownOptions, IReadOnlyList<ConfiguredValue> configured, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        if (unknownOptions.Count > 0)
        {
            // Unknown options first and alone: the parser takes them for FILE arguments, so its own errors would be
            // about what seems missing rather than what was mistyped.
            foreach (var problem in unknownOptions)
            {
                error.WriteLine($"optiflow: {problem}");
            }
        }
        else
        {
            IEnumerable<System.CommandLine.Parsing.ParseError> errors = parse.Errors;
            if (parse.UnmatchedTokens.Count > 0 && command.Subcommands.Count > 0)
            {
                // A mistyped command: the parser also says a command is missing and that every later token is
                // unrecognized; only its error about the mistyped token says what happened.
                var token = $"'{parse.UnmatchedTokens[0]}'";
                var about = parse.Errors.Where(e => e.Message.Contains(token, StringComparison.Ordinal)).Take(1).ToList();
                errors = about.Count > 0 ? about : errors;
            }

            foreach (var parseError in errors)
            {
                var message = UsageSuggestions.Readable(parseError.Message);
                error.WriteLine(CommandConfiguration.SourceOf(parseError, configured) is { } source
                    ? $"optiflow: {source.Source}: {message}"
                    : $"optiflow: {message}");
            }

            if ((UsageSuggestions.CommandHint(parse) ?? UsageSuggestions.MissingCommandHint(parse)) is { } hint)
            {
                error.WriteLine(hint);
            }
        }

        var path = UsageSuggestions.CommandPath(command);
        error.WriteLine($"Run 'optiflow {(path.Length == 0 ? string.Empty : path + " ")}--help' for usage.");
        return BadUsage;
    }

    /// <summary>The configured values for the command a parse found, for the options its command line did not give.</summary>
    /// <exception cref="ConfigurationException">The configuration file or a variable has errors (all of them, in file order).</exception>
    internal static List<ConfiguredValue> Configure(ParseResult first, IReadOnlyDictionary<string, string> environment)
    {
        var errors = new List<ConfigError>();
        var path = CommandConfiguration.ConfigPath(first, environment);
        var document = path is null ? null : CommandConfiguration.Load(first.RootCommandResult.Command, path, errors);
        var values = CommandConfiguration.ValuesFor(first.CommandResult.Command, document, environment, symbol => IsGiven(first, symbol), errors);
        return errors.Count > 0 ? throw new ConfigurationException(Ordered(errors)) : values;
    }

    /// <summary>Errors in file order (line, column), the environment's after them, each once.</summary>
    internal static List<ConfigError> Ordered(IEnumerable<ConfigError> errors) =>
        [.. errors.DistinctBy(e => e.ToString())
            .OrderBy(e => e.Location is null ? 1 : 0)
            .ThenBy(e => e.Location?.Line ?? 0)
            .ThenBy(e => e.Location?.Column ?? 0)];

    /// <summary>Whether the command line gave an option (not its default) or any FILE argument.</summary>
    internal static bool IsGiven(ParseResult parse, Symbol symbol) => symbol switch
    {
        Option option => parse.GetResult(option) is { Implicit: false },
        Argument argument => parse.GetResult(argument) is { Tokens.Count: > 0 },
        _ => false,
    };

    private static bool AsksForHelpOrVersion(ParseResult parse) =>
        parse.RootCommandResult.Command.Options.Any(o => o is HelpOption or VersionOption && parse.GetResult(o) is { Implicit: false });

    /// <summary>The process's environment variables.</summary>
    private static Dictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                variables[name] = value;
            }
        }

        return variables;
    }

    private static RootCommand Build(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string> environment)
    {
        var root = new RootCommand("OptiFlow.Engine: a low-latency Binance engine on lock-free rings. Decode → ring → core (books, OBI) ∥ journal → replay.");
        // One file per verb under Commands/; each adds itself here.
        root.Subcommands.Add(DemoCommand.Build(output, error));
        root.Subcommands.Add(RunCommand.Build(output, error));
        root.Subcommands.Add(BookCommand.Build(output, error));
        root.Subcommands.Add(SignalsCommand.Build(output, error));
        root.Subcommands.Add(FlowCommand.Build(output, error));
        root.Subcommands.Add(TrianglesCommand.Build(output, error));
        root.Subcommands.Add(ReplayCommand.Build(output, error));
        root.Subcommands.Add(JournalCommand.Build(output, error));
        root.Subcommands.Add(SimulateCommand.Build(output));
        root.Subcommands.Add(RecordCommand.Build(output, error));
        root.Subcommands.Add(GenerateCommand.Build(output));
        root.Subcommands.Add(ReportCommand.Build(output));
        root.Subcommands.Add(ConfigCommand.Build(output, environment));
        root.Options.Add(CommandConfiguration.ConfigOption());
        _ = error;
        return root;
    }

    internal static Option<string> MarketOption() => Checked(
        new Option<string>("--market")
        {
            Description = "futures (USDⓈ-M or COIN-M: the pu rule) or spot (the U rule)",
            Required = true,
        },
        value => { _ = ParseMarket(value); });

    /// <summary>
    /// Adds a parse-time check to an option: <paramref name="check"/> throws <see cref="UsageException"/> for a bad
    /// value, and its message becomes the parser's error, so a value from a configuration file is reported at its line
    /// and column like a typed one.
    /// </summary>
    private static Option<T> Checked<T>(Option<T> option, Action<T> check)
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit || result.Tokens.Count == 0)
            {
                return;
            }

            try
            {
                check(result.GetValueOrDefault<T>());
            }
            catch (UsageException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
    }

    internal static Argument<string[]> FilesArgument() => new("FILE")
    {
        Description = "Recordings (plain or .gz) read in order as one session; see --format",
        Arity = ArgumentArity.OneOrMore,
    };

    internal static Option<string> FormatOption() => Checked(
        new Option<string>("--format")
        {
            Description = "Recording format: auto (default, detected from the first line), hftbacktest, cryptofeed (*.ws.1.0; its *.http.0.0 snapshots are added), jsonl",
            DefaultValueFactory = _ => "auto",
        },
        value => { _ = ParseFormat(value); });

    internal static RecordingFormat ParseFormat(string? value) => RecordingReaders.TryParse(value, out var format)
        ? format
        : throw new UsageException($"--format must be auto, hftbacktest, cryptofeed or jsonl, not '{value}'");

    /// <summary>The files a recording reader takes and their resolved format (cryptofeed brings its snapshot files).</summary>
    internal static (IReadOnlyList<string> Files, RecordingFormat Format) InputFiles(string? format, string[]? files)
    {
        var checkedFiles = CheckFiles(files);
        var resolved = RecordingReaders.Resolve(ParseFormat(format), checkedFiles);
        return (RecordingReaders.SessionFiles(resolved, checkedFiles), resolved);
    }

    /// <summary>The recording a session reads: its files (cryptofeed brings its snapshot files), format, market and symbols.</summary>
    internal static RecordingInput SessionInput(string? format, string[]? files, Market market) =>
        RecordingInput.Open(CheckFiles(files), ParseFormat(format), market);

    internal static Option<int?> CoreCpuOption() => new("--core-cpu")
    {
        Description = "Pin the core thread to this CPU (sched_setaffinity from inside the thread)",
    };

    internal static Option<string> WaitStrategyOption() => Checked(
        new Option<string>("--wait-strategy")
        {
            Description = "The core's wait strategy (and the journal's unless --journal-wait-strategy): yielding, blocking, sleeping, busy-spin (isolated cores only), batching (park until a batch is published; default for a file run without --trade, yielding with it; live: blocking)",
            DefaultValueFactory = _ => "yielding",
        },
        value => { _ = ParseWait(value); });

    internal static Option<string?> ReportOption() => new("--report")
    {
        Description = "Write report.json (run metadata, counts, books, digests, replay verdict, latency per stage in ns), latency/<stage>.hgrm (HdrHistogram percentiles in µs), latency.hlog (HdrHistogram interval log, one interval per second per stage) and report.html (self-contained plots) into this directory",
    };

    /// <summary>Checks a --report directory before anything runs: it may exist (its report files are replaced) but not be a file.</summary>
    internal static string? CheckReport(string? report) =>
        report is not null && File.Exists(report)
            ? throw new UsageException($"--report '{report}' is a file: give a directory (created when missing)")
            : report;

    internal static Option<string?> JournalOption(string description) => new("--journal") { Description = description };

    internal static Option<bool> OverwriteOption(string what = "--journal DIR") => new("--overwrite")
    {
        Description = $"Replace an existing OptiFlow journal in {what} (a directory holding anything else is refused either way)",
    };

    internal static Option<string?> JournalWaitStrategyOption() => Checked(
        new Option<string?>("--journal-wait-strategy")
        {
            Description = "The journal threads' wait strategy (default: the core's --wait-strategy): yielding, blocking, sleeping, busy-spin, batching",
        },
        value => { _ = ParseOptionalWait(value, "--journal-wait-strategy"); });

    internal static Option<string?> LatencySampleOption() => Checked(
        new Option<string?>("--latency-sample")
        {
            Description = "The core stamps one event in N for its latency table, N a power of two (default: 16 in a file run without --trade, whose pick-up times are queueing behind a full ring; 1, every event, otherwise; tuning.md)",
        },
        value => { _ = ParseLatencySample(value, everyEventByDefault: false); });

    /// <summary>The core's latency sample interval a <c>--latency-sample</c> value names, or the file run's default.</summary>
    /// <exception cref="UsageException">Not a power of two.</exception>
    internal static int ParseLatencySample(string? value, bool everyEventByDefault) => value switch
    {
        null => everyEventByDefault ? 1 : EngineOptions.RecordingLatencySampleInterval,
        _ when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && int.IsPow2(n) => n,
        _ => throw new UsageException($"--latency-sample: '{value}' is not a power of two (1 stamps every event)."),
    };

    internal static Option<string?> JournalPlacementOption() => Checked(
        new Option<string?>("--journal-placement")
        {
            Description = "Which thread journals the inbound events: auto (default: the core's thread in a file run on fewer than 3 CPUs, a thread of its own otherwise), own-thread, core-thread (after each batch the core handled; tuning.md)",
        },
        value => { _ = ParseJournalPlacement(value); });

    /// <summary>The placement a <c>--journal-placement</c> value names (null: <see cref="JournalPlacement.Auto"/>).</summary>
    /// <exception cref="UsageException">Any other value.</exception>
    internal static JournalPlacement ParseJournalPlacement(string? value) =>
        value is null ? JournalPlacement.Auto
        : JournalPlacementExtensions.TryParse(value, out var placement) ? placement
        : throw new UsageException($"--journal-placement: '{value}' is not {JournalPlacementExtensions.Names}.");

    /// <summary>The host's options for a file session from the command line's values.</summary>
    internal static EngineOptions SessionOptions(string? journal, int? coreCpu, WaitStrategyKind wait, WaitStrategyKind? journalWait, bool overwrite = false) => new()
    {
        JournalDirectory = journal,
        JournalOverwrite = overwrite,
        CoreCpu = coreCpu,
        CoreWaitStrategy = wait,
        JournalWaitStrategy = journalWait,
    };

    /// <summary>
    /// The options of a journaled session, every value checked first (CPUs against the process mask, a given journal
    /// directory against the journal rules); only then, with no <paramref name="journal"/>, is the default private
    /// location chosen. A refusal leaves nothing behind.
    /// </summary>
    internal static EngineOptions CheckedSessionOptions(string verb, string? journal, bool overwrite, int? coreCpu, WaitStrategyKind wait, WaitStrategyKind? journalWait)
    {
        var options = SessionOptions(journal, coreCpu, wait, journalWait, overwrite);
        options.Validate();
        if (journal is not null)
        {
            JournalDirectories.RequireWritable(journal, overwrite);
            return options;
        }

        return SessionOptions(DefaultJournal(verb), coreCpu, wait, journalWait, overwrite);
    }

    /// <summary>
    /// Runs a recording through a journaled session, prints the report, replays the journal and prints the verdict. A
    /// journal I/O failure prints one line naming the file and the errno, and what stays verifiable, and exits 5.
    /// </summary>
    internal static int RunAndReplay(TextWriter output, TextWriter error, RecordingInput input, EngineOptions options, string? report = null, string command = "run", bool compact = false, Operations.RunOperations? operations = null)
    {
        ReplayResult? replayed = null;
        var exit = RunAndReplay(output, error, input, options, r => replayed = r, out var result, compact, operations, command, report, out var intervals);
        using var _ = intervals;
        if (report is not null && result is not null && exit != IoFailure)
        {
            var path = Engine.Hosting.Reports.SessionReport.Write(report, command, result, replayed, intervals);
            output.WriteLine($"report: {path} (latency distributions in {Path.Combine(report, Engine.Hosting.Reports.SessionReport.LatencyFolder)}, per second in {Path.Combine(report, Engine.Hosting.Reports.LatencyIntervalRecorder.FileName)}, plots in {Path.Combine(report, Engine.Hosting.Reports.SessionReport.PageFileName)})");
        }

        return exit;
    }

    private static int RunAndReplay(TextWriter output, TextWriter error, RecordingInput input, EngineOptions options, Action<ReplayResult> replayed, out SessionResult? finished, bool compact, Operations.RunOperations? operations, string command, string? report, out Engine.Hosting.Reports.LatencyIntervalRecorder? intervals)
    {
        finished = null;
        intervals = null;
        SessionResult result;
        using (var session = EngineSession.ForRecording(input, options))
        {
            session.Start();
            // --report: latency.hlog, one interval per second, sampled by its own control thread; closed once the session stopped.
            intervals = report is null ? null : Engine.Hosting.Reports.LatencyIntervalRecorder.Start(session, report);
            try
            {
                using (operations?.WatchRecording(session, command))
                {
                    session.PublishRecording();
                }

                result = session.Stop();
                intervals?.Stop();
            }
            catch
            {
                intervals?.Dispose();
                throw;
            }
        }

        finished = result;
        if (compact)
        {
            RunReport.PrintCompact(result, output);
        }
        else
        {
            RunReport.Print(result, output);
        }

        output.WriteLine();
        if (result.JournalFailure is { } failure)
        {
            output.Flush();
            error.WriteLine(JournalFailureLine(failure, result));
            return IoFailure;
        }

        if (options.Evaluators.Count == 0)
        {
            var replay = Operations.RunOperations.Replay(operations, "replay", () => result.Core.EventCount, followMetrics: false, p => JournalReplayer.Replay(options.JournalDirectory!, null, false, null, p));
            replayed(replay);
            RunReport.PrintReplay(replay, output);
            return !replay.Identical ? DataErrors : result.HadDataErrors ? DataErrors : Success;
        }

        // With strategies, the verdict covers their output too: the replay writes its outbound stream into a new private
        // temporary directory (never into the journal) and it is compared with the journaled one, record by record,
        // byte for byte.
        var scratch = Directory.CreateTempSubdirectory("optiflow-replay-").FullName;
        try
        {
            var replay = Operations.RunOperations.Replay(operations, "replay", () => result.Core.EventCount, followMetrics: false, p => JournalReplayer.Replay(options.JournalDirectory!, Path.Combine(scratch, "outbound"), overwriteOutbound: false, catalog: null, p));
            replayed(replay);
            RunReport.PrintReplay(replay, output);
            var reproduced = Commands.ReplayCommand.CompareOutbound(options.JournalDirectory!, replay, output);
            if (!replay.Identical || !reproduced)
            {
                return DataErrors;
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        return result.HadDataErrors ? DataErrors : Success;
    }

    /// <summary>Runs a recording with one outbound printer and no journal (the book and signals verbs).</summary>
    internal static SessionResult RunPrinting(RecordingInput input, IEventHandler<OutboundEvent> printer, BookViewPolicy? views)
    {
        using var session = EngineSession.ForRecording(input, new EngineOptions { OutboundHandlers = [printer], BookViews = views });
        session.Start();
        session.PublishRecording();
        return session.Stop();
    }

    internal static int ReportDataErrorsOnly(SessionResult result, TextWriter error)
    {
        if (!result.HadDataErrors)
        {
            return Success;
        }

        foreach (var damage in result.DamagedInputs)
        {
            error.WriteLine($"optiflow: {damage.Message}");
        }

        error.WriteLine($"optiflow: the data had errors: {result.Core.DecodeErrors} decode errors");
        foreach (var record in result.Core.RecordedErrors)
        {
            error.WriteLine($"  {result.Files[record.FileIndex]}:{record.Line}: {record.Code} at byte {record.Offset}");
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

    internal static WaitStrategyKind ParseWait(string? value, string option = "--wait-strategy") =>
        value is null ? WaitStrategyKind.Yielding
        : WaitStrategyKindExtensions.TryParse(value, out var kind) ? kind
        : throw new UsageException($"{option} must be yielding, blocking, sleeping, busy-spin or batching, not '{value}'");

    internal static WaitStrategyKind? ParseOptionalWait(string? value, string option) => value is null ? null : ParseWait(value, option);

    /// <summary>A file session's core wait strategy: <c>--wait-strategy</c> when given; otherwise
    /// <see cref="EngineOptions.RecordingWaitStrategy"/> (batching) without trading, yielding with it (the gateway
    /// answers the core event by event).</summary>
    /// <exception cref="UsageException"><c>--wait-strategy batching</c> with trading, or an unknown name.</exception>
    internal static WaitStrategyKind FileRunWait(ParseResult parse, Option<string> wait, bool trading)
    {
        if (parse.GetResult(wait) is not { Implicit: false })
        {
            return trading ? WaitStrategyKind.Yielding : EngineOptions.RecordingWaitStrategy;
        }

        var kind = ParseWait(parse.GetValue(wait));
        return kind == WaitStrategyKind.Batching && trading
            ? throw new UsageException("--wait-strategy batching cannot be used with --trade: the order gateway waits for the core event by event; use yielding or blocking")
            : kind;
    }

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

    /// <summary>
    /// A new journal path for <paramref name="verb"/> in the per-user private directory
    /// (<see cref="JournalDirectories.NewPrivatePath"/>: <c>~/.local/state/optiflow/run-…-XXXXXXXXXX</c>, checked private,
    /// unpredictable name); the session creates it (0700) when it starts, so call this only once everything else was
    /// validated.
    /// </summary>
    internal static string DefaultJournal(string verb) => JournalDirectories.NewPrivatePath(verb);

    /// <summary>The one line a journal I/O failure prints: the OS error with its path, then what was kept and how to check it.</summary>
    internal static string JournalFailureLine(JournalIOException failure, SessionResult result) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"optiflow: journal I/O failure: {failure.Message} The run stopped journaling there; the {result.JournalRecords:N0} records committed before it are kept (an incomplete session, no run summary): check them with 'optiflow journal verify {result.JournalDirectory}'.");
}
