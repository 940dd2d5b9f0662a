using OptiFlow.Adapters.Binance.Generation;

namespace OptiFlow.Adapters.Binance.Tests.Generation;

/// <summary>The generator's libm-free exp and ln against the runtime's.</summary>
[TestFixture]
public sealed class PortableMathTests
{
    [TestCase(0.0)]
    [TestCase(1e-12)]
    [TestCase(-0.5)]
    [TestCase(0.3465)]
    [TestCase(1.0)]
    [TestCase(-7.25)]
    [TestCase(23.5)]
    [TestCase(-36.0)]
    [TestCase(300.0)]
    public void ShouldMatchMathExp_WhenExponentiating(double x)
    {
        // Act
        var actual = PortableMath.Exp(x);

        // Assert
        Assert.That(actual, Is.EqualTo(Math.Exp(x)).Within(2e-15 * Math.Exp(x)));
    }

    [TestCase(1.0)]
    [TestCase(0.5)]
    [TestCase(1e-8)]
    [TestCase(1.4142)]
    [TestCase(1.4143)]
    [TestCase(1000.0)]
    [TestCase(9.2e18)]
    [TestCase(3e-300)]
    public void ShouldMatchMathLog_WhenTakingLogarithms(double x)
    {
        // Act
        var actual = PortableMath.Log(x);

        // Assert
        Assert.That(actual, Is.EqualTo(Math.Log(x)).Within(1e-14 * Math.Max(1, Math.Abs(Math.Log(x)))));
    }
}
