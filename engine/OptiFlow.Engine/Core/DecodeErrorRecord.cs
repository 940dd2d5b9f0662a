using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Core;

/// <summary>Where and why a frame failed to decode, as the core saw it in a <see cref="MarketEventKind.DecodeError"/> slot.</summary>
/// <param name="Sequence">Ring sequence of the error slot.</param>
/// <param name="FileIndex">Index of the input file in the session.</param>
/// <param name="Line">1-based line in that file (0 for live data).</param>
/// <param name="Code">The error.</param>
/// <param name="Offset">Byte offset in the frame where decoding stopped.</param>
public readonly record struct DecodeErrorRecord(long Sequence, int FileIndex, long Line, DecodeErrorCode Code, int Offset);
