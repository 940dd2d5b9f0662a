namespace OptiFlow.Engine.Strategies;

/// <summary>
/// Deterministic client order ids for the core's strategies: one id per (strategy, causing inbound sequence, leg), so a
/// replay of the journal emits the same ids, and no two commands of a session share one.
/// </summary>
/// <remarks>
/// <code>
///  bit 63        62 … 52                 51 … 4                      3 … 0
///  0 (positive)  evaluator id + 1 (11 b) causing sequence (48 b)     leg (4 b: 0–15)
/// </code>
/// A strategy emits at most 16 commands per inbound event (a triangle's three legs, a cancel and a new quote), and a
/// session stays below 2⁴⁸ inbound sequences (≈ 2.8·10¹⁴ events). The order gateway renders the id in
/// <c>newClientOrderId</c> with the session's own prefix (binance.md §5.4: USDⓈ-M requires
/// <c>^[\.A-Z\:/a-z0-9_-]{1,36}$</c>; spot, §5.3, unique among open orders), which makes it unique across sessions. Pure functions: thread-safe, allocation-free.
/// </remarks>
public static class ClientOrderIds
{
    /// <summary>Legs per inbound event: 16.</summary>
    public const int MaxLegs = 16;

    /// <summary>Largest evaluator id that fits: 2,046.</summary>
    public const int MaxEvaluatorId = (1 << 11) - 2;

    /// <summary>Largest causing sequence that fits: 2⁴⁸ − 1.</summary>
    public const long MaxSequence = (1L << 48) - 1;

    /// <summary>The id of leg <paramref name="leg"/> of the commands evaluator <paramref name="evaluatorId"/> emits for the event at <paramref name="causingSequence"/>.</summary>
    /// <param name="evaluatorId">The strategy's index in its evaluator set (0 to <see cref="MaxEvaluatorId"/>).</param>
    /// <param name="causingSequence">Inbound ring sequence of the causing event (0 to <see cref="MaxSequence"/>).</param>
    /// <param name="leg">0 to 15.</param>
    /// <returns>A positive id.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static long For(int evaluatorId, long causingSequence, int leg)
    {
        if ((uint)evaluatorId > MaxEvaluatorId || (ulong)causingSequence > MaxSequence || (uint)leg >= MaxLegs)
        {
            ThrowOutOfRange(evaluatorId, causingSequence, leg);
        }

        return ((long)(evaluatorId + 1) << 52) | (causingSequence << 4) | (long)leg;
    }

    /// <summary>Splits an id made by <see cref="For"/>.</summary>
    /// <param name="clientOrderId">The id.</param>
    /// <returns>Its evaluator id, causing sequence and leg.</returns>
    public static (int EvaluatorId, long CausingSequence, int Leg) Parse(long clientOrderId) =>
        ((int)(clientOrderId >> 52) - 1, (clientOrderId >> 4) & MaxSequence, (int)(clientOrderId & (MaxLegs - 1)));

    private static void ThrowOutOfRange(int evaluatorId, long causingSequence, int leg) =>
        throw new ArgumentOutOfRangeException(
            nameof(causingSequence),
            $"Client order id parts out of range: evaluator {evaluatorId} (0–{MaxEvaluatorId}), sequence {causingSequence} (0–{MaxSequence}), leg {leg} (0–{MaxLegs - 1}).");
}
