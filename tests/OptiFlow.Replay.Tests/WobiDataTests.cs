using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// <see cref="SignalEvent.Wobi10"/> of every signal of every recording that <c>optiflow signals</c> reads clean, against
/// a straightforward decimal implementation of the formula written here (<c>m = (bid + ask) / 2</c>,
/// <c>w = 1 / (1 + |p − m| / m)</c>, sums over the top 10 levels), checked on the core thread by a test evaluator that
/// sees the book the signal was computed from.
/// </summary>
[TestFixture]
[Category("Data")]
public sealed class WobiDataTests
{
    /// <summary>The double computation is within a few 10⁻¹⁵ of the exact value (ImbalanceEvaluator's remarks); decimal is exact to ~10⁻²⁷.</summary>
    private const double Tolerance = 1e-12;

    private static IEnumerable<TestCaseData> Sessions => TradeSessions.Cases(TradeSessions.SignalsClean);

    [TestCaseSource(nameof(Sessions))]
    public void ShouldMatchADecimalImplementation_WhenEverySignalOfARecordingIsChecked(Market market, string[] files)
    {
        // Arrange
        var paths = files.Select(RecordingData.Require).ToArray();
        var input = RecordingInput.Open(paths, RecordingFormat.Auto, market);
        var factory = new CheckFactory();

        // Act
        var result = HostedRun.Run(input, new EngineOptions { Evaluators = [factory] });
        var check = factory.Created!;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.HadDataErrors, Is.False);
            Assert.That(check.Signals, Is.EqualTo(result.SignalCount).And.Positive, "every signal was checked");
            Assert.That(check.Mismatches, Is.Empty, $"signals whose wobi10 differs from the decimal reference by more than {Tolerance} (of {check.Signals}; worst {check.WorstError})");
            Assert.That(check.NaNs, Is.LessThan(check.Signals), "most signals have both sides");
        }
    }

    /// <summary>The formula, literally, in decimal.</summary>
    private static double Reference(OrderBook book)
    {
        if (book.Bids.Count == 0 || book.Asks.Count == 0)
        {
            return double.NaN;
        }

        var mid = (Decimal(book.Bids.PriceAt(0)) + Decimal(book.Asks.PriceAt(0))) / 2m;
        decimal Side(PriceLevels side)
        {
            var sum = 0m;
            for (var i = 0; i < Math.Min(10, side.Count); i++)
            {
                var w = 1m / (1m + (Math.Abs(Decimal(side.PriceAt(i)) - mid) / mid));
                sum += w * Decimal(side.QuantityAt(i));
            }

            return sum;
        }

        var bid = Side(book.Bids);
        var ask = Side(book.Asks);
        return bid + ask == 0 ? double.NaN : (double)((bid - ask) / (bid + ask));
    }

    private static decimal Decimal(long units) => units / 100_000_000m;

    private sealed class CheckFactory : EvaluatorFactory
    {
        public override string Name => "test-wobi-check";

        public override string Configuration => "";

        public Check? Created { get; private set; }

        public override Evaluator Create(SymbolTable symbols) => Created = new Check();
    }

    private sealed class Check : Evaluator
    {
        public override string Name => "test-wobi-check";

        public override EvaluatorInputs Inputs => EvaluatorInputs.DepthApplied;

        public long Signals { get; private set; }

        public long NaNs { get; private set; }

        public double WorstError { get; private set; }

        public List<string> Mismatches { get; } = [];

        public override void OnDepthApplied(ref readonly MarketEvent last, long sequence, SymbolState state, ref readonly SignalEvent signal)
        {
            Signals++;
            var expected = Reference(state.Book);
            if (double.IsNaN(expected) || double.IsNaN(signal.Wobi10))
            {
                NaNs += double.IsNaN(signal.Wobi10) ? 1 : 0;
                if (double.IsNaN(expected) != double.IsNaN(signal.Wobi10))
                {
                    Mismatches.Add($"u={signal.FinalUpdateId}: {signal.Wobi10} vs {expected}");
                }

                return;
            }

            var error = Math.Abs(expected - signal.Wobi10);
            WorstError = Math.Max(WorstError, error);
            if (error > Tolerance && Mismatches.Count < 10)
            {
                Mismatches.Add($"u={signal.FinalUpdateId}: {signal.Wobi10:R} vs {expected:R}");
            }
        }
    }
}
