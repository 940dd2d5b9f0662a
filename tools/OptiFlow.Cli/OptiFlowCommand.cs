using System.CommandLine;
using System.Globalization;
using OptiFlow.Cli.Output;
using OptiFlow.Cli.Replay;
using OptiFlow.Cli.Session;
using OptiFlow.Engine.Affinity;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;

namespace OptiFlow.Cli;

/// <summary>
/// The <c>optiflow</c> command line: <c>demo</c>, <c>run</c>, <c>book</c>, <c>signals</c>, <c>replay</c>.
/// Exit codes: 0 success, 1 the data had errors that the run reported (or a replay differed), 2 bad usage.
/// </summary>
internal static class OptiFlowCommand
{
    public const int Success = 0;
    public const int DataErrors = 1;
    public const int BadUsage = 2;

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

            error.WriteLine("Run 'optiflow --help' for usage.");
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
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("OptiFlow.Engine: a low-latency Binance engine on lock-free rings. Decode → ring → core (books, OBI) ∥ journal → replay.");
        root.Subcommands.Add(BuildDemo(output));
        root.Subcommands.Add(BuildRun(output));
        root.Subcommands.Add(BuildBook(output));
        root.Subcommands.Add(BuildSignals(output));
        root.Subcommands.Add(BuildReplay(output));
        _ = error;
        return root;
    }

    private static Option<string> MarketOption() => new("--market")
    {
        Description = "futures (USDⓈ-M or COIN-M: the pu rule) or spot (the U rule)",
        Required = true,
    };

    private static Argument<string[]> FilesArgument() => new("FILE")
    {
        Description = "Recordings (hftbacktest line format, plain or .gz) read in order as one session",
        Arity = ArgumentArity.OneOrMore,
    };

    private static Option<int?> CoreCpuOption() => new("--core-cpu")
    {
        Description = "Pin the core thread to this CPU (sched_setaffinity from inside the thread)",
    };

    private static Option<string> WaitStrategyOption() => new("--wait-strategy")
    {
        Description = "Consumers' wait strategy: yielding (default), blocking, sleeping, busy-spin (isolated cores only)",
        DefaultValueFactory = _ => "yielding",
    };

    private static Option<string?> JournalOption(string description) => new("--journal") { Description = description };

    private static Command BuildDemo(TextWriter output)
    {
        var journal = JournalOption("Journal directory (default: a new folder under the system temp directory)");
        var coreCpu = CoreCpuOption();
        var wait = WaitStrategyOption();
        var command = new Command("demo", "Run the whole path on the recording shipped with OptiFlow (Binance USDⓈ-M BTCUSDT, 2023-04-04), journal it, replay the journal and compare.")
        {
            journal, coreCpu, wait,
        };
        command.SetAction(parse =>
        {
            var file = DemoRecording;
            if (!File.Exists(file))
            {
                throw new UsageException($"the demo recording is missing from the installation: {file}");
            }

            output.WriteLine("OptiFlow demo: Binance USDⓈ-M BTCUSDT, 2023-04-04 23:58:20 – 2023-04-05 00:00:00 UTC, recorded by hftbacktest (MIT)");
            output.WriteLine();
            return RunAndReplay(output, Market.Futures, [file], parse.GetValue(journal) ?? DefaultJournal("demo"), parse.GetValue(coreCpu), ParseWait(parse.GetValue(wait)));
        });
        return command;
    }

    private static Command BuildRun(TextWriter output)
    {
        var market = MarketOption();
        var journal = JournalOption("Journal directory (default: a new folder under the system temp directory)");
        var coreCpu = CoreCpuOption();
        var wait = WaitStrategyOption();
        var files = FilesArgument();
        var command = new Command("run", "Run decode → ring → core ∥ journal on recordings, then replay the journal and compare.")
        {
            market, coreCpu, journal, wait, files,
        };
        command.SetAction(parse => RunAndReplay(
            output,
            ParseMarket(parse.GetValue(market)),
            CheckFiles(parse.GetValue(files)),
            parse.GetValue(journal) ?? DefaultJournal("run"),
            parse.GetValue(coreCpu),
            ParseWait(parse.GetValue(wait))));
        return command;
    }

    private static Command BuildBook(TextWriter output)
    {
        var market = MarketOption();
        var depth = new Option<int>("--depth") { Description = "Levels per side to print", DefaultValueFactory = _ => 20 };
        var every = new Option<long>("--every") { Description = "Print after every N-th applied depth message of a symbol (0: only at the end)", DefaultValueFactory = _ => 0 };
        var files = FilesArgument();
        var command = new Command("book", "Print books as JSON lines: after every N-th applied depth message, and once at the end of each symbol's stream.")
        {
            market, depth, every, files,
        };
        command.SetAction(parse =>
        {
            var depthValue = parse.GetValue(depth);
            var everyValue = parse.GetValue(every);
            if (depthValue < 1)
            {
                throw new UsageException("--depth must be at least 1");
            }

            if (everyValue < 0)
            {
                throw new UsageException("--every must be 0 or more");
            }

            var symbols = new SymbolTable();
            using var stdout = Console.OpenStandardOutput();
            using var buffer = new Utf8OutputBuffer(output == Console.Out ? stdout : new TextWriterStream(output));
            var sink = new BookJsonSink(buffer, symbols, depthValue, everyValue);
            var result = RecordingSession.Run(new SessionOptions
            {
                Market = ParseMarket(parse.GetValue(market)),
                Files = CheckFiles(parse.GetValue(files)),
                Sink = sink,
                Symbols = symbols,
            });
            sink.WriteFinal(result.Core);
            buffer.Flush();
            return ReportDataErrorsOnly(result);
        });
        return command;
    }

    private static Command BuildSignals(TextWriter output)
    {
        var market = MarketOption();
        var files = FilesArgument();
        var command = new Command("signals", "Print one CSV row per applied depth message: top of book, mid, OBI over 1/5/10 levels, weighted mid.")
        {
            market, files,
        };
        command.SetAction(parse =>
        {
            var symbols = new SymbolTable();
            using var stdout = Console.OpenStandardOutput();
            using var buffer = new Utf8OutputBuffer(output == Console.Out ? stdout : new TextWriterStream(output));
            var sink = new SignalCsvSink(buffer, symbols);
            sink.WriteHeader();
            var result = RecordingSession.Run(new SessionOptions
            {
                Market = ParseMarket(parse.GetValue(market)),
                Files = CheckFiles(parse.GetValue(files)),
                Sink = sink,
                Symbols = symbols,
            });
            buffer.Flush();
            return ReportDataErrorsOnly(result);
        });
        return command;
    }

    private static Command BuildReplay(TextWriter output)
    {
        var journal = new Argument<string>("JOURNAL") { Description = "A journal directory written by 'optiflow run' or 'optiflow demo'" };
        var command = new Command("replay", "Drive the same core from a journal and report whether its final books and signal stream equal the live run's.")
        {
            journal,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(journal)!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"journal directory not found: {directory}");
            }

            var replay = JournalReplay.Run(directory);
            RunReport.PrintBooks(replay.Core, replay.SymbolName, output);
            output.WriteLine();
            RunReport.PrintReplay(replay, output);
            return replay.Identical ? Success : DataErrors;
        });
        return command;
    }

    private static int RunAndReplay(TextWriter output, Market market, IReadOnlyList<string> files, string journal, int? coreCpu, WaitStrategyKind wait)
    {
        var result = RecordingSession.Run(new SessionOptions
        {
            Market = market,
            Files = files,
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

    private static int ReportDataErrorsOnly(SessionResult result)
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

    private static Market ParseMarket(string? value) => value?.ToLowerInvariant() switch
    {
        "futures" or "usdm" or "coinm" => Market.Futures,
        "spot" => Market.Spot,
        _ => throw new UsageException($"--market must be 'futures' or 'spot', not '{value}'"),
    };

    private static WaitStrategyKind ParseWait(string? value) => value?.ToLowerInvariant() switch
    {
        null or "yielding" => WaitStrategyKind.Yielding,
        "blocking" => WaitStrategyKind.Blocking,
        "sleeping" => WaitStrategyKind.Sleeping,
        "busy-spin" or "busyspin" => WaitStrategyKind.BusySpin,
        _ => throw new UsageException($"--wait-strategy must be yielding, blocking, sleeping or busy-spin, not '{value}'"),
    };

    private static string[] CheckFiles(string[]? files)
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

    private static string DefaultJournal(string verb) => Path.Combine(
        Path.GetTempPath(),
        "optiflow",
        string.Create(CultureInfo.InvariantCulture, $"{verb}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}"));
}
