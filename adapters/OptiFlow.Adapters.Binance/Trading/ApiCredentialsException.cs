namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// Credentials could not be loaded: a variable is missing, a key file is unreadable or too open (not mode 0600), or
/// the key material is malformed. The message names the variable or file, never the secret.
/// </summary>
public sealed class ApiCredentialsException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ApiCredentialsException()
        : base("API credentials could not be loaded.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where (variable or file name; never secret material).</param>
    public ApiCredentialsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What is wrong and where (variable or file name; never secret material).</param>
    /// <param name="innerException">The cause.</param>
    public ApiCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
