namespace OptiFlow.Cli;

/// <summary>The venue failed the verb (a protocol violation, no connection): exit code 4; the message names the endpoint and the cause.</summary>
internal sealed class VenueFailureException(string message) : Exception(message);
