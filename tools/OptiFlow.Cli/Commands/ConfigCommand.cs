using System.CommandLine;
using OptiFlow.Cli.Configuration;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow config check FILE [--command C]</c>: validates a configuration file (its keys against the commands and
/// their options, the types of its values, and its values by parsing each command with them), one line per error with
/// its file, line and column; exit 0 valid, 1 not, 2 bad usage. <c>optiflow config show [--command C]</c>: the values a
/// command would take from <c>--config</c>/<c>OPTIFLOW_CONFIG</c> and <c>OPTIFLOW_*</c> variables, each with its source.
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
        var only = CommandOption("The command, e.g. run or \"journal export\"");
        only.Required = true;
        var command = new Command("show", "Show the values a command takes from the configuration file (--config or OPTIFLOW_CONFIG) and OPTIFLOW_* variables, each with its source; the command line wins over both.")
        {
            only,
        };
        command.SetAction(parse =>
        {
            var root = parse.RootCommandResult.Command;
            var target = Find(root, parse.GetValue(only)!);
            var errors = new List<ConfigError>();
            var path = CommandConfiguration.ConfigPath(parse, environment);
            var document = path is null ? null : CommandConfiguration.Load(root, path, errors);
            var values = CommandConfiguration.ValuesFor(target, document, environment, _ => false, errors);
            if (errors.Count > 0)
            {
                throw new ConfigurationException(Ordered(errors));
            }

            output.WriteLine($"optiflow {CommandConfiguration.PathOf(target)}: configuration {(path is null ? "none (no --config, no OPTIFLOW_CONFIG)" : path)}");
            foreach (var value in values)
            {
                output.WriteLine($"  {string.Join(' ', value.Tokens)}    # {value.Source}");
            }

            output.WriteLine(values.Count == 0 ? "  no configured values: every option has its built-in default" : "  every other option: its built-in default");
            return Success;
        });
        return command;
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
