using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OptiFlow.Cli.Configuration;

/// <summary>
/// Option values from a configuration file (<c>--config FILE</c> or <c>OPTIFLOW_CONFIG</c>; TOML or JSON) and from
/// <c>OPTIFLOW_*</c> environment variables, turned into command-line tokens for the options the command line did not
/// give, so that System.CommandLine parses and validates them exactly as typed ones.
/// </summary>
/// <remarks>
/// <para>Keys are option names without dashes (<c>core-cpu</c>), in a table per command (<c>[run]</c>,
/// <c>[journal.export]</c>); a top-level key applies to every command that has the option; <c>files</c> gives the FILE
/// arguments of a command that takes them. A variable is <c>OPTIFLOW_</c> + the option's name in upper case with
/// dashes as underscores (<c>OPTIFLOW_CORE_CPU</c>), for the command being run when it has that option; the
/// variables in <see cref="ReservedVariables"/> are not options and are left alone. Precedence: command line &gt;
/// environment &gt; configuration file &gt; built-in default.</para>
/// <para>Secrets never come from a configuration file: a key such as <c>api-secret</c> is refused with a message
/// naming <c>--credentials FILE</c> and the environment variables instead.</para>
/// <para>Cold path (once per command line); allocates. Stateless: thread-safe.</para>
/// </remarks>
internal static class CommandConfiguration
{
    /// <summary>The variable naming a configuration file when <c>--config</c> is not given.</summary>
    public const string ConfigVariable = "OPTIFLOW_CONFIG";

    /// <summary>The prefix of option variables.</summary>
    public const string VariablePrefix = "OPTIFLOW_";

    /// <summary>The key for a command's FILE arguments.</summary>
    public const string FilesKey = "files";

    /// <summary>The command whose subcommands read configuration files rather than take values from them.</summary>
    public const string ConfigCommandName = "config";

    /// <summary>
    /// <c>OPTIFLOW_*</c> variables that are not options: credentials (read by the trading venue), the test and
    /// benchmark switches, and <see cref="ConfigVariable"/>. <c>OPTIFLOW_DATA</c> is the tests' data folder, not
    /// <c>simulate --data</c>.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "OPTIFLOW_API_KEY", "OPTIFLOW_API_SECRET", "OPTIFLOW_PRIVATE_KEY_FILE", "OPTIFLOW_CREDENTIALS_FILE",
        "OPTIFLOW_REQUIRE_DATA", "OPTIFLOW_DATA", "OPTIFLOW_HOST", "OPTIFLOW_DLL", "OPTIFLOW_BENCH_DIR",
        "OPTIFLOW_GOLDEN_WRITE", ConfigVariable,
    };

    /// <summary>The <c>--config FILE</c> option, on every command.</summary>
    /// <returns>A new option.</returns>
    public static Option<string?> ConfigOption() => new("--config")
    {
        Description = "Read option values from this TOML or JSON file (keys: option names in a [COMMAND] table, or at the top level for every command; files = [...] for FILE); OPTIFLOW_<OPTION> variables and the command line win. Default: $OPTIFLOW_CONFIG",
        Recursive = true,
    };

    /// <summary>The configuration key of an option: its name without dashes.</summary>
    public static string KeyOf(Option option) => option.Name.TrimStart('-');

    /// <summary>The environment variable of an option: <c>OPTIFLOW_CORE_CPU</c> for <c>--core-cpu</c>.</summary>
    public static string VariableOf(Option option) => VariablePrefix + KeyOf(option).ToUpperInvariant().Replace('-', '_');

    /// <summary>The options of a command that a configuration can set (its own, not help, version or --config).</summary>
    public static IEnumerable<Option> OptionsOf(Command command) =>
        command.Options.Where(o => !o.Recursive && o is not HelpOption and not VersionOption);

    /// <summary>The command's FILE... argument, set by the <c>files</c> key, or null.</summary>
    public static Argument? FilesOf(Command command) =>
        command.Arguments.FirstOrDefault(a => a.Name == "FILE" && a.Arity.MaximumNumberOfValues > 1);

    /// <summary>Whether a configuration applies to the command (every command but the root and <c>config</c>'s).</summary>
    public static bool IsConfigurable(Command command)
    {
        if (command is RootCommand)
        {
            return false;
        }

        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            if (c.Name == ConfigCommandName && c.Parents.OfType<RootCommand>().Any())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every configurable command under <paramref name="root"/>, depth first.</summary>
    public static IEnumerable<Command> CommandsUnder(Command root)
    {
        foreach (var sub in root.Subcommands)
        {
            if (!IsConfigurable(sub))
            {
                continue;
            }

            yield return sub;
            foreach (var nested in CommandsUnder(sub))
            {
                yield return nested;
            }
        }
    }

    /// <summary>A command's path after <c>optiflow</c>: <c>journal export</c>.</summary>
    public static string PathOf(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>Whether a key names a secret, which never comes from a configuration file.</summary>
    public static bool IsSecret(string key)
    {
        var k = key.ToLowerInvariant().Replace('_', '-');
        return k is "api-key" or "apikey" or "key" or "private-key" or "private-key-file" or "token" or "password" or "passphrase"
            || k.Contains("secret", StringComparison.Ordinal)
            || k.Contains("password", StringComparison.Ordinal);
    }

    /// <summary>The configuration file a command line names: <c>--config</c>, else <c>OPTIFLOW_CONFIG</c>, else none.</summary>
    public static string? ConfigPath(ParseResult parse, IReadOnlyDictionary<string, string> environment)
    {
        var option = parse.RootCommandResult.Command.Options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == "--config");
        var given = option is null ? null : parse.GetValue(option);
        return !string.IsNullOrEmpty(given) ? given
            : environment.TryGetValue(ConfigVariable, out var variable) && !string.IsNullOrEmpty(variable) ? variable
            : null;
    }

    /// <summary>
    /// Reads a configuration file and checks every key against the command tree: sections name commands, keys name
    /// options of their command (top-level keys: of some command), values have the option's type; secrets are refused.
    /// </summary>
    /// <param name="root">The command tree.</param>
    /// <param name="path">The file.</param>
    /// <param name="errors">Receives each problem, with its line and column.</param>
    /// <returns>The document (the keys that were valid).</returns>
    /// <exception cref="ConfigurationException">The file is not valid TOML or JSON.</exception>
    /// <exception cref="UsageException">The file does not exist or is neither .toml nor .json.</exception>
    public static ConfigDocument Load(Command root, string path, List<ConfigError> errors)
    {
        var table = ConfigFile.Read(path);
        var document = new ConfigDocument(path);
        Walk(root, table, root, document, errors);
        return document;
    }

    private static void Walk(Command root, ConfigTable table, Command command, ConfigDocument document, List<ConfigError> errors)
    {
        var isRoot = command is RootCommand;
        var section = isRoot ? "the top level" : $"[{PathOf(command).Replace(' ', '.')}]";
        foreach (var (key, node) in table.Entries)
        {
            var sub = command.Subcommands.FirstOrDefault(s => s.Name == key && IsConfigurable(s));
            if (sub is not null && node is ConfigTable subTable)
            {
                Walk(root, subTable, sub, document, errors);
                continue;
            }

            if (IsSecret(key))
            {
                errors.Add(ConfigError.At(node.KeyLocation, $"'{key}' is a secret, and secrets never come from a configuration file: give --credentials FILE (a 0600 file) or the environment variables OPTIFLOW_API_KEY and OPTIFLOW_API_SECRET (or OPTIFLOW_PRIVATE_KEY_FILE)"));
                continue;
            }

            var known = isRoot ? AllKeys(root) : KeysOf(command);
            if (node is ConfigTable)
            {
                var commands = command.Subcommands.Where(IsConfigurable).Select(s => s.Name).ToList();
                var nearest = UsageSuggestions.Nearest(key, commands);
                var prefix = isRoot ? string.Empty : PathOf(command).Replace(' ', '.') + ".";
                errors.Add(ConfigError.At(node.KeyLocation, known.Contains(key)
                    ? $"'{key}' in {section} is an option: give it a value, not a table"
                    : $"unknown section [{prefix}{key}]: not a command{(nearest is null ? string.Empty : $"; did you mean [{prefix}{nearest}]?")}"));
                continue;
            }

            var value = (ConfigValue)node;
            if (!known.Contains(key))
            {
                var candidates = known.Concat(command.Subcommands.Where(IsConfigurable).Select(s => s.Name)).ToList();
                var nearest = UsageSuggestions.Nearest(key, candidates);
                var what = isRoot ? $"unknown key '{key}' at the top level (no command has the option --{key})" : $"unknown key '{key}' in {section}";
                errors.Add(ConfigError.At(value.KeyLocation, nearest is null ? what : $"{what}; did you mean '{nearest}'?"));
                continue;
            }

            if (isRoot)
            {
                // Its type is checked against each command it applies to (Values).
                document.TopLevel[key] = value;
                continue;
            }

            if (Convert(command, key, value, topLevel: false, out _) is { } problem)
            {
                errors.Add(problem);
                continue;
            }

            if (!document.Sections.TryGetValue(command, out var keys))
            {
                document.Sections[command] = keys = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
            }

            keys[key] = value;
        }
    }

    private static HashSet<string> KeysOf(Command command)
    {
        var keys = OptionsOf(command).Select(KeyOf).ToHashSet(StringComparer.Ordinal);
        if (FilesOf(command) is not null)
        {
            keys.Add(FilesKey);
        }

        return keys;
    }

    private static HashSet<string> AllKeys(Command root) =>
        CommandsUnder(root).SelectMany(KeysOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The configured values for <paramref name="command"/>: from the environment (its options' variables), else from
    /// the document (its section, else the top level), for the options <paramref name="isGiven"/> says the command line
    /// did not give.
    /// </summary>
    /// <param name="command">The command being run or checked.</param>
    /// <param name="document">The configuration file, or null.</param>
    /// <param name="environment">The environment variables.</param>
    /// <param name="isGiven">Whether the command line gave an option, or FILE arguments (those keep their values).</param>
    /// <param name="errors">Receives each value that does not fit its option.</param>
    /// <returns>The values, options first, FILE last.</returns>
    public static List<ConfiguredValue> ValuesFor(Command command, ConfigDocument? document, IReadOnlyDictionary<string, string> environment, Func<Symbol, bool> isGiven, List<ConfigError> errors)
    {
        var values = new List<ConfiguredValue>();
        if (!IsConfigurable(command))
        {
            return values;
        }

        foreach (var option in OptionsOf(command))
        {
            if (isGiven(option))
            {
                continue;
            }

            var variable = VariableOf(option);
            if (!ReservedVariables.Contains(variable) && environment.TryGetValue(variable, out var text))
            {
                var source = $"environment {variable}={text}";
                if (FromVariable(option, text) is { } tokens)
                {
                    values.Add(new ConfiguredValue(option, KeyOf(option), tokens, source, null));
                }
                else
                {
                    errors.Add(new ConfigError(source, $"{option.Name} expects {Expected(ShapeOf(option).Element)}{(ShapeOf(option).Multiple ? " (a comma-separated list)" : string.Empty)}"));
                }

                continue;
            }

            if (document?.ValueFor(command, KeyOf(option)) is { } value)
            {
                if (Convert(command, KeyOf(option), value, topLevel: ReferenceEquals(value, document.TopLevel.GetValueOrDefault(KeyOf(option))), out var tokens) is { } problem)
                {
                    errors.Add(problem);
                }
                else if (tokens.Count > 0)
                {
                    values.Add(new ConfiguredValue(option, KeyOf(option), tokens, value.ValueLocation.ToString(), value.ValueLocation));
                }
            }
        }

        if (FilesOf(command) is { } files && !isGiven(files) && document?.ValueFor(command, FilesKey) is { } list)
        {
            if (Convert(command, FilesKey, list, topLevel: false, out var tokens) is { } problem)
            {
                errors.Add(problem);
            }
            else if (tokens.Count > 0)
            {
                values.Add(new ConfiguredValue(files, FilesKey, tokens, list.ValueLocation.ToString(), list.ValueLocation));
            }
        }

        return values;
    }

    /// <summary>
    /// The command line with the configured values added: option tokens after the user's own options (before a user's
    /// <c>--</c>), FILE arguments after <c>--</c>.
    /// </summary>
    /// <param name="args">The user's arguments.</param>
    /// <param name="values">The configured values.</param>
    /// <returns>The arguments to parse.</returns>
    public static string[] Merge(IReadOnlyList<string> args, IReadOnlyList<ConfiguredValue> values)
    {
        var separator = -1;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                separator = i;
                break;
            }
        }

        var head = separator < 0 ? args : args.Take(separator).ToList();
        var tail = separator < 0 ? [] : args.Skip(separator + 1).ToList();
        var positional = values.Where(v => v.IsPositional).SelectMany(v => v.Tokens).ToList();
        var merged = new List<string>(head);
        merged.AddRange(values.Where(v => !v.IsPositional).SelectMany(v => v.Tokens));
        if (tail.Count > 0 || positional.Count > 0)
        {
            merged.Add("--");
            merged.AddRange(tail);
            merged.AddRange(positional);
        }

        return [.. merged];
    }

    /// <summary>Prefixes a parse error with the source of the value it is about, when that value was configured.</summary>
    /// <param name="error">The parser's error.</param>
    /// <param name="values">The configured values.</param>
    /// <returns>The configured value the error is about, or null (the command line's).</returns>
    public static ConfiguredValue? SourceOf(ParseError error, IReadOnlyList<ConfiguredValue> values)
    {
        Symbol? symbol = error.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            ArgumentResult a => a.Argument,
            _ => null,
        };
        return symbol is null ? null : values.FirstOrDefault(v => ReferenceEquals(v.Symbol, symbol));
    }

    /// <summary>The tokens of one configured value, or the error (at its location) when it does not fit.</summary>
    /// <remarks>A top-level value's error names the command it was applied to.</remarks>
    private static ConfigError? Convert(Command command, string key, ConfigValue value, bool topLevel, out List<string> tokens)
    {
        tokens = [];
        if (key == FilesKey)
        {
            var names = value.Kind == ConfigValueKind.Array ? value.Items : [value];
            if (names.Any(n => n.Kind != ConfigValueKind.String))
            {
                return ConfigError.At(value.ValueLocation, $"'{FilesKey}' expects a list of file names: files = [\"a.gz\", \"b.gz\"]");
            }

            tokens.AddRange(names.Select(n => n.Text));
            return null;
        }

        var option = OptionsOf(command).First(o => KeyOf(o) == key);
        var (element, multiple) = ShapeOf(option);
        var items = value.Kind == ConfigValueKind.Array ? value.Items : [value];
        var where = topLevel ? $" (for 'optiflow {PathOf(command)}')" : string.Empty;
        foreach (var item in items)
        {
            if (!Fits(element, item.Kind))
            {
                return ConfigError.At(item.ValueLocation, $"'{key}' expects {Expected(element)}{(multiple ? " or a list of them" : string.Empty)}, not {Describe(item)}{where}");
            }
        }

        if (multiple)
        {
            tokens.AddRange(items.Select(i => $"{option.Name}={i.Text}"));
        }
        else if (value.Kind == ConfigValueKind.Array)
        {
            // One value from a list: only a string option takes one, as the command line would (comma-separated).
            if (element != typeof(string) || items.Count == 0)
            {
                return ConfigError.At(value.ValueLocation, $"'{key}' takes one value, not a list{where}");
            }

            tokens.Add($"{option.Name}={string.Join(',', items.Select(i => i.Text))}");
        }
        else
        {
            tokens.Add($"{option.Name}={value.Text}");
        }

        return null;
    }

    /// <summary>The tokens of an environment variable's value, or null when it does not fit the option's type.</summary>
    private static List<string>? FromVariable(Option option, string text)
    {
        var (element, multiple) = ShapeOf(option);
        var items = multiple ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [text.Trim()];
        var tokens = new List<string>();
        foreach (var item in items)
        {
            string? spelled = element == typeof(bool)
                ? item.ToLowerInvariant() switch { "true" or "1" => "true", "false" or "0" => "false", _ => null }
                : IsInteger(element) ? (long.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || ulong.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? item : null)
                : IsFloat(element) ? (double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? item : null)
                : multiple ? item : text;
            if (spelled is null)
            {
                return null;
            }

            tokens.Add($"{option.Name}={spelled}");
        }

        return tokens;
    }

    private static (Type Element, bool Multiple) ShapeOf(Option option)
    {
        var type = option.ValueType;
        if (type.IsArray)
        {
            return (type.GetElementType()!, true);
        }

        return (Nullable.GetUnderlyingType(type) ?? type, false);
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(ulong) || type == typeof(uint) || type == typeof(short) || type == typeof(ushort) || type == typeof(byte);

    private static bool IsFloat(Type type) => type == typeof(double) || type == typeof(float) || type == typeof(decimal);

    private static bool Fits(Type element, ConfigValueKind kind) =>
        element == typeof(bool) ? kind == ConfigValueKind.Boolean
        : IsInteger(element) ? kind == ConfigValueKind.Integer
        : IsFloat(element) ? kind is ConfigValueKind.Integer or ConfigValueKind.Float
        : kind is ConfigValueKind.String or ConfigValueKind.Integer or ConfigValueKind.Float;

    /// <summary>What an option of this type expects, in words: "an integer", "true or false".</summary>
    public static string Expected(Type element) =>
        element == typeof(bool) ? "true or false"
        : element == typeof(ulong) || element == typeof(uint) ? "a non-negative integer"
        : IsInteger(element) ? "an integer"
        : IsFloat(element) ? "a number"
        : "a string";

    private static string Describe(ConfigValue value) => value.Kind switch
    {
        ConfigValueKind.String => $"the string \"{value.Text}\"",
        ConfigValueKind.Integer => $"the integer {value.Text}",
        ConfigValueKind.Float => $"the number {value.Text}",
        ConfigValueKind.Boolean => value.Text,
        ConfigValueKind.Array => "a list",
        _ => $"'{value.Text}'",
    };
}
