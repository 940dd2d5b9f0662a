using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary><see cref="JournalScanReport.Session"/>: a killed run's journal is intact but says it never finished.</summary>
public class JournalScanReportTests : JournalTestBase
{
    [TestCase(false, false, JournalSessionState.None)]
    [TestCase(true, false, JournalSessionState.Incomplete)]
    [TestCase(true, true, JournalSessionState.Complete)]
    public void ShouldTellWhetherTheSessionFinished_WhenScanning(bool header, bool summary, JournalSessionState expected)
    {
        // Arrange
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            if (header)
            {
                writer.AppendBlob(JournalRecordType.SessionHeader, "{}"u8);
            }

            WriteEvents(writer, GenerateEvents(100));
            if (summary)
            {
                writer.AppendBlob(JournalRecordType.RunSummary, "{}"u8);
            }
        }

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.IsIntact, Is.True);
            Assert.That(report.Session, Is.EqualTo(expected));
            Assert.That(report.SessionHeaders, Is.EqualTo(header ? 1 : 0));
            Assert.That(report.RunSummaries, Is.EqualTo(summary ? 1 : 0));
        }
    }
}
