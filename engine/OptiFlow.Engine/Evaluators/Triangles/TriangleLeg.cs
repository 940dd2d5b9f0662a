using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>
/// One step X → Y of a cycle: the instrument traded and the order side. On symbol XY (base X) the step sells X at the
/// bid (receives x·bid of Y); on symbol YX (base Y) it buys Y at the ask (receives x / ask of Y).
/// </summary>
/// <remarks>Immutable. The order a strategy sends for this leg: symbol <see cref="Instrument"/>, side
/// <see cref="Side"/>, limit price the touched price (bid for <see cref="OrderSide.Sell"/>, ask for
/// <see cref="OrderSide.Buy"/>), quantity in base units (<see cref="TriangleOpportunity"/>).</remarks>
/// <param name="InstrumentIndex">Index of the instrument in <see cref="TriangleUniverse.Instruments"/>.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="Side"><see cref="OrderSide.Sell"/> when <paramref name="From"/> is the base asset, else <see cref="OrderSide.Buy"/>.</param>
/// <param name="From">The asset given.</param>
/// <param name="To">The asset received.</param>
public sealed record TriangleLeg(int InstrumentIndex, InstrumentSpec Instrument, OrderSide Side, string From, string To);
