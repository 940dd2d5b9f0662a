using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;

namespace OptiFlow.Simulator.Tests.VenueBooks;

/// <summary>The simulator is a test oracle for the engine, so it must not be built from the engine's books or core.</summary>
[TestFixture]
public sealed class SimulatorAssemblyTests
{
    [Test]
    public void ShouldNotReferenceEngineCoreOrBooks_WhenSimulatorAssemblyIsInspected()
    {
        // Arrange
        using var stream = File.OpenRead(typeof(BinanceSimulator).Assembly.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        // Act: the namespace of every type the simulator's IL refers to in other assemblies.
        var namespaces = metadata.TypeReferences
            .Select(handle => metadata.GetString(metadata.GetTypeReference(handle).Namespace))
            .ToHashSet(StringComparer.Ordinal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(namespaces, Has.Member("OptiFlow.Engine.Model"), "the inspection sees the engine's model types");
            Assert.That(namespaces, Has.None.StartsWith("OptiFlow.Engine.Core"));
            Assert.That(namespaces, Has.None.StartsWith("OptiFlow.Engine.Books"));
        }
    }
}
