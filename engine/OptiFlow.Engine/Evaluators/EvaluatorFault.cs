using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>The body of an <see cref="EvaluatorRecordType.Fault"/> record: an evaluator threw and was quarantined.</summary>
/// <remarks>Layout (body offsets): 0 <see cref="HResult"/> (int32), 4 <see cref="Input"/> (int32), 8 <see cref="TypeNameHash"/>
/// (uint32), 12 reserved (int32). Only deterministic facts: a replay that meets the same fault writes the same bytes.</remarks>
[StructLayout(LayoutKind.Sequential)]
public struct EvaluatorFault
{
    /// <summary>The exception's <see cref="Exception.HResult"/>.</summary>
    public int HResult;

    /// <summary>The callback that threw.</summary>
    public EvaluatorInputs Input;

    /// <summary>CRC-32C of the exception type's full name (UTF-16 code units), to tell fault types apart in a journal.</summary>
    public uint TypeNameHash;

    /// <summary>Reserved, zero.</summary>
    public int Reserved;
}
