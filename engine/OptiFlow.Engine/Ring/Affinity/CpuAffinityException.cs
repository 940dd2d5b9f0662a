namespace OptiFlow.Engine.Affinity;

/// <summary>Pinning a thread to a CPU is impossible: the CPU is outside the allowed set, or the platform has no such call.</summary>
public sealed class CpuAffinityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CpuAffinityException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and why.</param>
    public CpuAffinityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and why.</param>
    /// <param name="innerException">The cause.</param>
    public CpuAffinityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
