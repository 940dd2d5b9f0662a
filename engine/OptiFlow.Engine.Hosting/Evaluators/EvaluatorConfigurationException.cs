namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>An evaluator cannot be built as configured: an unknown name, a malformed configuration, a missing or
/// changed input file (e.g. a journal replayed where its exchangeInfo file is gone).</summary>
public sealed class EvaluatorConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public EvaluatorConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
