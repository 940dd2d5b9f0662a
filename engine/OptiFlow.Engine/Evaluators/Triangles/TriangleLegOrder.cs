using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>One leg of a <see cref="TriangleOpportunity"/>'s plan as the order a strategy sends (an IOC limit order at
/// the touched price): <see cref="TriangleEvaluator.LegOrder"/>.</summary>
/// <remarks>Immutable copy. Prices and quantities are 10⁻⁸ units.</remarks>
/// <param name="SymbolId">The session's symbol id of the leg's instrument (-1 when the session's table lacks it, which
/// never happens for an emitted record: such an instrument is never quoted).</param>
/// <param name="InstrumentIndex">Index in <see cref="TriangleUniverse.Instruments"/> (its filters).</param>
/// <param name="Side">Sell the base at the bid, or buy it at the ask.</param>
/// <param name="LimitPrice">The touched price: the bid for a sell, the ask for a buy, 10⁻⁸ quote units.</param>
/// <param name="Quantity">The plan's quantity, 10⁻⁸ base units (a stepSize multiple; 0 after a failed leg).</param>
public readonly record struct TriangleLegOrder(int SymbolId, int InstrumentIndex, OrderSide Side, long LimitPrice, long Quantity);
