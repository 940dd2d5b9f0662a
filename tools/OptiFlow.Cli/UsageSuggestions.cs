using System.CommandLine;
using System.CommandLine.Parsing;

namespace OptiFlow.Cli;

/// <summary>
/// What the parser leaves unsaid: a token that looks like an option but is none of the command's (System.CommandLine
/// takes it for a FILE argument, so the user would hear about a missing option or file instead), and the nearest
/// option or command name for a typo.
/// </summary>
/// <remarks>Cold path (once per command line). Stateless: thread-safe.</remarks>
internal static class UsageSuggestions
{
    /// <summary>Problems the parser did not report: unknown options, each with the nearest known option if one is close.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>One message per unknown option, in command-line order; empty when there is none.</returns>
    public static IReadOnlyList<string> UnknownOptions(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var known = KnownOptionNames(command);
        var problems = new List<string>();
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                // After "--" every token is an argument, whatever it looks like.
                break;
            }

            var text = token.Value;
            // An option is "-x…" or "--…"; "-5", "-5%", "-0.1" are values.
            if (token.Type != TokenType.Argument || text.Length < 2 || text[0] != '-' || !(text[1] == '-' || char.IsLetter(text[1])))
            {
                continue;
            }

            var name = text.Split('=', 2)[0];
            var nearest = Nearest(name, known);
            var path = CommandPath(command);
            var where = path.Length == 0 ? "optiflow" : $"optiflow {path}";
            problems.Add(nearest is null
                ? $"unknown option '{name}' for '{where}'."
                : $"unknown option '{name}' for '{where}'; did you mean '{nearest}'?");
        }

        return problems;
    }

    /// <summary>The nearest subcommand name to an unrecognized command token, or null.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>A hint line, or null when no command name is close.</returns>
    public static string? CommandHint(ParseResult parse)
    {
        if (parse.UnmatchedTokens.Count == 0)
        {
            return null;
        }

        var command = parse.CommandResult.Command;
        var names = command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
        if (names.Count == 0)
        {
            return null;
        }

        var token = parse.UnmatchedTokens[0];
        var nearest = Nearest(token, names);
        if (nearest is null)
        {
            return null;
        }

        var path = CommandPath(command);
        return $"optiflow: did you mean 'optiflow {(path.Length == 0 ? nearest : path + " " + nearest)}'?";
    }

    /// <summary>For a command that only groups others (<c>journal</c>) given no command: the commands it has.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>A hint line, or null.</returns>
    public static string? MissingCommandHint(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0 || command.Subcommands.Count == 0 || command.Action is not null || parse.CommandResult.Children.Any())
        {
            return null;
        }

        var path = CommandPath(command);
        return $"optiflow: '{(path.Length == 0 ? "optiflow" : "optiflow " + path)}' takes a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.";
    }

    /// <summary>
    /// The parser's message with a type a user can read: "Cannot parse argument 'x' for option '--core-cpu' as expected
    /// type 'System.Nullable`1[System.Int32]'." becomes "Cannot parse argument 'x' for option '--core-cpu': expected an integer.".
    /// </summary>
    /// <param name="message">The parser's message.</param>
    /// <returns>The message, its CLR type named in words when it had one.</returns>
    public static string Readable(string message)
    {
        const string Marker = " as expected type '";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return message;
        }

        var end = message.IndexOf('\'', at + Marker.Length);
        if (end < 0)
        {
            return message;
        }

        var type = message[(at + Marker.Length)..end];
        const string NullablePrefix = "System.Nullable`1[";
        if (type.StartsWith(NullablePrefix, StringComparison.Ordinal) && type.EndsWith(']'))
        {
            type = type[NullablePrefix.Length..^1];
        }

        var words = type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" => "an integer",
            "System.UInt64" or "System.UInt32" or "System.UInt16" => "a non-negative integer",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            _ => null,
        };
        return words is null ? message : $"{message[..at]}: expected {words}{message[(end + 1)..]}";
    }

    /// <summary>A command's path after <c>optiflow</c> (<c>journal export</c>; empty for the root).</summary>
    public static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null && c is not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return string.Join(' ', names);
    }

    private static List<string> KnownOptionNames(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in c.Options)
            {
                if (ReferenceEquals(c, command) || option.Recursive)
                {
                    names.Add(option.Name);
                    names.AddRange(option.Aliases);
                }
            }
        }

        return names;
    }

    /// <summary>The known name closest to <paramref name="typed"/> by edit distance, if close enough (at most a third of its length, and 3).</summary>
    /// <param name="typed">What was typed.</param>
    /// <param name="known">The names that exist.</param>
    /// <returns>The nearest name, or null when none is close.</returns>
    public static string? Nearest(string typed, IReadOnlyList<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            var distance = Distance(typed, name);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return bestDistance <= Math.Min(3, Math.Max(1, typed.Length / 3)) ? best : null;
    }

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment: "rnu" is one step from "run"), case-sensitive.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
