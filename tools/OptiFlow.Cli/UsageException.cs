namespace OptiFlow.Cli;

/// <summary>The command line was used wrongly (exit code 2); the message says how.</summary>
internal sealed class UsageException(string message) : Exception(message);
