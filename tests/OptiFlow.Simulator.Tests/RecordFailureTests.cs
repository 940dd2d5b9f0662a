using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests;

/// <summary><c>optiflow record</c> against a hostile server: a frame announcing 2⁶² bytes is bounded by the live client,
/// closed with 1009, and (with <c>--max-failed-attempts 1</c>) ends the recording with exit 4, the last line naming it.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RecordFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Test]
    public async Task ShouldCloseWith1009AndExit4_WhenRecordingAFrameThatAnnounces2Pow62Bytes()
    {
        // Arrange
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.HugeFrame);
        using var temp = new TempDirectory("record-huge");
        var path = temp.File("out");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var run = Task.Run(() => OptiFlowCommand.Run(["record", "--venue", "sim", "--endpoint", server.Endpoint, "--symbols", "btcusdt", "--out", path, "--max-failed-attempts", "1"], output, error));
        var finished = await Task.WhenAny(run, Task.Delay(Bound)) == run;

        // Assert
        Assert.That(finished, Is.True, $"record did not finish within {Bound.TotalSeconds:0} s");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Result, Is.EqualTo(OptiFlowCommand.VenueFailure), error.ToString());
            Assert.That(error.ToString().Trim().Split('\n')[^1].Trim(), Is.EqualTo(
                $"optiflow: {server.Endpoint}/stream: the feed is down: 1 connection attempts in a row failed (--max-failed-attempts); last error: a message longer than 4,194,304 bytes (MaxMessageSize; 4,194,304 received and not ended): closed with 1009 message too big"));
            Assert.That(server.MaxBytesSentOnOneConnection, Is.LessThan(RawLoopbackServer.SendCap / 2), "the recorder stopped reading at its bound");
            Assert.That(Directory.Exists(path), Is.True, "the day files' directory was created before connecting");
        }
    }
}
