using System.CommandLine;
using OptiFlow.Cli.Configuration;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow config check FILE [--command C]</c>: validates a configuration file (its keys against the commands and
/// their options, the types of its values, and its values by parsing each command with them), one line per error with
/// its file, line and column; exit 0 valid, 1 not, 2 bad usage. <c>optiflow config show [--config FILE] -- COMMAND LINE</c>
/// (or <c>--command C</c>): every option the command line would run with, its value and its source (command line,
/// <c>OPTIFLOW_*</c> variable, the file's line and column, default), through the same parse as a run.
/// </summary>
internal static class ConfigCommand
{
    public static Command Build(TextWriter output, IReadOnlyDictionary<string, string> environment)
    {
        var command = new Command(CommandConfiguration.ConfigCommandName, "Configuration files (TOML or JSON; see --config): check one, or show the values a command takes from it and from OPTIFLOW_* variables.");
        command.Subcommands.Add(BuildCheck(output));
        command.Subcommands.Add(BuildShow(output, environment));
        return command;
    }

    private static Option<string?> CommandOption(string description) => new("--command") { Description = description };

    private static Command BuildCheck(TextWriter output)
    {
        var file = new Argument<string>("FILE") { Description = "The configuration file (.toml or .json)" };
        var only = CommandOption("Check only what applies to this command, e.g. run or \"journal export\" (default: every command the file configures)");
        var command = new Command("check", "Check a configuration file: unknown keys, wrong types and bad values, each with FILE:LINE:COLUMN. Exit 0 valid, 1 not, 2 bad usage.")
        {
            file,
            only,
        };
        command.SetAction(parse =>
        {
            var root = parse.RootCommandResult.Command;
            var path = parse.GetValue(file)!;
            var target = parse.GetValue(only) is { } name ? Find(root, name) : null;
            var errors = new List<ConfigError>();
            ConfigDocument document;
            try
            {
                document = CommandConfiguration.Load(root, path, errors);
            }
            catch (ConfigurationException e)
            {
                return Print(output, path, e.Errors, 0);
            }

            var commands = target is not null ? [target] : CommandConfiguration.CommandsUnder(root).Where(c => c.Action is not null && Configures(document, c)).ToList();
            foreach (var checkedCommand in commands)
            {
                var values = CommandConfiguration.ValuesFor(checkedCommand, document, new Dictionary<string, string>(), _ => false, errors);
                if (values.Count == 0)
                {
                    continue;
                }

                // The values as the parser sees them: its type, range and value checks, at the lines they came from.
                // Errors about what the file does not give (a required FILE or option) are the command line's.
                var args = CommandConfiguration.PathOf(checkedCommand).Split(' ').ToList();
                var parsed = root.Parse(CommandConfiguration.Merge(args, values));
                foreach (var parseError in parsed.Errors)
                {
                    if (CommandConfiguration.SourceOf(parseError, values) is { } source)
                    {
                        errors.Add(new ConfigError(source.Source, $"{UsageSuggestions.Readable(parseError.Message)} (for 'optiflow {CommandConfiguration.PathOf(checkedCommand)}')", source.Location));
                    }
                }
            }

            return Print(output, path, Ordered(errors), commands.Count);
        });
        return command;
    }

    private static Command BuildShow(TextWriter output, IReadOnlyDictionary<string, string> environment)
    {
        var line = new Argument<string[]>("COMMAND")
        {
            Description = "The command line to resolve, after --: e.g. -- run --market spot x.gz",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var only = CommandOption("The command, e.g. run or \"journal export\" (instead of a command line)");
        var command = new Command("show", "Show the options a command line would run with: each value and where it came from (command line, OPTIFLOW_* variable, the configuration file's line, or the default). Usage: optiflow config show [--config FILE] -- run --market spot x.gz")
        {
            line,
            only,
        };
        command.SetAction(parse =>
        {
            var root = parse.RootCommandResult.Command;
            var args = parse.GetValue(line) is { Length: > 0 } given ? given.ToList()
                : parse.GetValue(only) is { } name ? CommandConfiguration.PathOf(Find(root, name)).Split(' ').ToList()
                : throw new UsageException("give the command line to show after --, e.g. 'optiflow config show -- run --market spot x.gz', or --command run");
            var configOption = root.Options.OfType<Option<string?>>().First(o => o.Name == "--config");
            if (parse.GetValue(configOption) is { } file && !args.Any(a => a == configOption.Name || a.StartsWith(configOption.Name + "=", StringComparison.Ordinal)))
            {
                args.Insert(0, $"{configOption.Name}={file}");
            }

            var first = root.Parse(args);
            var target = first.CommandResult.Command;
            if (UsageSuggestions.UnknownOptions(first) is [var unknown, ..])
            {
                throw new UsageException(unknown);
            }

            if (first.UnmatchedTokens.Count > 0 || !CommandConfiguration.IsConfigurable(target))
            {
                throw new UsageException($"'{string.Join(' ', args)}' is not a command line of a command that takes options");
            }

            var configured = Configure(first, environment);
            var final = configured.Count > 0 ? root.Parse(CommandConfiguration.Merge(args, configured)) : first;
            var path = CommandConfiguration.ConfigPath(first, environment);
            output.WriteLine($"optiflow {CommandConfiguration.PathOf(target)}: configuration {path ?? "none (no --config, no OPTIFLOW_CONFIG)"}");
            foreach (var option in CommandConfiguration.OptionsOf(target))
            {
                output.WriteLine($"  {CommandConfiguration.KeyOf(option)} = {Format(final.GetResult(option))}    # {SourceOf(first, option, configured)}");
            }

            if (CommandConfiguration.FilesOf(target) is { } files)
            {
                output.WriteLine($"  {CommandConfiguration.FilesKey} = {Format(final.GetResult(files))}    # {SourceOf(first, files, configured)}");
            }

            foreach (var parseError in final.Errors)
            {
                var message = UsageSuggestions.Readable(parseError.Message);
                output.WriteLine(CommandConfiguration.SourceOf(parseError, configured) is { } source ? $"error: {source.Source}: {message}" : $"error: {message}");
            }

            return final.Errors.Count == 0 ? Success : BadUsage;
        });
        return command;
    }

    private static string SourceOf(ParseResult first, Symbol symbol, List<ConfiguredValue> configured) =>
        IsGiven(first, symbol) ? "command line"
        : configured.FirstOrDefault(v => ReferenceEquals(v.Symbol, symbol)) is { } value ? value.Source
        : "default";

    /// <summary>A parsed value as text: lists joined with commas, true/false, "(none)" for no value.</summary>
    private static string Format(System.CommandLine.Parsing.SymbolResult? result)
    {
        object? value;
        try
        {
            value = result switch
            {
                System.CommandLine.Parsing.OptionResult o => o.GetValueOrDefault<object?>(),
                System.CommandLine.Parsing.ArgumentResult a => a.GetValueOrDefault<object?>(),
                _ => null,
            };
        }
        catch (InvalidOperationException)
        {
            return "(not valid: see the error below)";
        }

        return value switch
        {
            null => "(none)",
            bool b => b ? "true" : "false",
            string s => s,
            System.Collections.IEnumerable items => string.Join(",", items.Cast<object?>().Select(i => Convert.ToString(i, System.Globalization.CultureInfo.InvariantCulture))),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "(none)",
        };
    }

    private static bool Configures(ConfigDocument document, Command command) =>
        document.Sections.ContainsKey(command)
        || document.TopLevel.Keys.Any(key =>
            CommandConfiguration.OptionsOf(command).Any(o => CommandConfiguration.KeyOf(o) == key)
            || (key == CommandConfiguration.FilesKey && CommandConfiguration.FilesOf(command) is not null));

    /// <summary>The command named by a path such as <c>run</c> or <c>journal export</c>.</summary>
    /// <exception cref="UsageException">No configurable command has that path.</exception>
    private static Command Find(Command root, string path)
    {
        var command = root;
        foreach (var name in path.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var next = command.Subcommands.FirstOrDefault(c => c.Name == name && CommandConfiguration.IsConfigurable(c));
            if (next is null)
            {
                var nearest = UsageSuggestions.Nearest(name, command.Subcommands.Where(CommandConfiguration.IsConfigurable).Select(c => c.Name).ToList());
                throw new UsageException($"--command '{path}': no command '{name}'{(command is RootCommand ? string.Empty : $" in 'optiflow {CommandConfiguration.PathOf(command)}'")}{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")}");
            }

            command = next;
        }

        return command is RootCommand ? throw new UsageException("--command: give a command, e.g. run") : command;
    }

    private static int Print(TextWriter output, string path, IReadOnlyList<ConfigError> errors, int commands)
    {
        foreach (var error in errors)
        {
            output.WriteLine(error);
        }

        output.WriteLine(errors.Count == 0
            ? $"{path}: valid ({commands} command{(commands == 1 ? string.Empty : "s")} configured)"
            : $"{path}: {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")}");
        return errors.Count == 0 ? Success : DataErrors;
    }
}
