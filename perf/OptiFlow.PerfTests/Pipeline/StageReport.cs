using System.Globalization;
using System.Text.Json;
using OptiFlow.Engine.Hosting;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>
/// Writes the stage harness's results as JSON, in the manner of the ring harness's report (<see cref="JsonReport"/>):
/// machine, command, load average at start and end, the recording (files, market, frames, ring events), then per stage
/// its key, label and description, events/s and frames/s (min, median, max), the median time and ns per event, and
/// each measured run and the uncounted warm-up run (seconds, both rates, GC collections inside the window, host steal, the process's CPU time); then the ratio (d) ÷
/// min(a, b, c), the replay baseline, and the checks (passed, failures, the core's digests).
/// </summary>
internal static class StageReport
{
    public static void Write(string path, Inputs inputs)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("benchmark", "pipeline-stages");
        json.WriteStartObject("machine");
        json.WriteString("cpuModel", inputs.Machine.CpuModel);
        json.WriteNumber("logicalCores", inputs.Machine.LogicalCores);
        json.WriteString("allowedCpus", inputs.Machine.AllowedCpus);
        json.WriteString("os", inputs.Machine.Os);
        json.WriteString("runtime", inputs.Machine.Runtime);
        json.WriteEndObject();
        json.WriteString("command", inputs.Command);
        json.WriteString("timestampUtc", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("loadAverageAtStart", inputs.LoadAtStart);
        json.WriteString("loadAverageAtEnd", inputs.LoadAtEnd);
        json.WriteNumber("runs", inputs.Options.Runs);
        json.WriteNumber("warmUpRounds", inputs.Options.WarmUpRounds);
        json.WriteStartObject("recording");
        json.WriteStartArray("files");
        foreach (var file in inputs.Input.Files)
        {
            json.WriteStringValue(Path.GetFullPath(file));
        }

        json.WriteEndArray();
        json.WriteString("format", inputs.Input.Format.ToString());
        json.WriteString("market", inputs.Input.Market.ToString());
        json.WriteNumber("symbols", inputs.Input.Symbols.Count);
        json.WriteNumber("lines", inputs.Lines.Count);
        json.WriteNumber("frameBytes", inputs.Lines.TotalBytes);
        json.WriteNumber("frames", inputs.Frames);
        json.WriteNumber("events", inputs.Events);
        json.WriteNumber("journalSegmentSize", inputs.SegmentSize);
        json.WriteString("journalPlacement", inputs.Options.JournalPlacement.ToString());
        json.WriteBoolean("sessionJournalsOnCoreThread", inputs.JournalOnCoreThread);
        json.WriteNumber("latencySampleInterval", inputs.LatencySampleInterval);
        json.WriteEndObject();
        json.WriteStartArray("stages");
        foreach (var stage in inputs.Stages)
        {
            json.WriteStartObject();
            json.WriteString("key", stage.Key);
            json.WriteString("label", stage.Label);
            json.WriteString("description", stage.Description);
            json.WriteStartObject("eventsPerSecond");
            WriteNumber(json, "min", stage.MinEventsPerSecond);
            WriteNumber(json, "median", stage.MedianEventsPerSecond);
            WriteNumber(json, "max", stage.MaxEventsPerSecond);
            json.WriteEndObject();
            json.WriteStartObject("framesPerSecond");
            WriteNumber(json, "min", stage.MinFramesPerSecond);
            WriteNumber(json, "median", stage.MedianFramesPerSecond);
            WriteNumber(json, "max", stage.MaxFramesPerSecond);
            json.WriteEndObject();
            WriteNumber(json, "medianMilliseconds", stage.MedianSeconds * 1e3);
            WriteNumber(json, "medianNsPerEvent", stage.MedianSeconds * 1e9 / inputs.Events);
            WriteNumber(json, "medianCpuMilliseconds", stage.MedianCpuSeconds * 1e3);
            WriteNumber(json, "medianJitMilliseconds", stage.MedianJitSeconds * 1e3);
            json.WriteStartObject("jitFreeRuns");
            json.WriteNumber("count", stage.JitFree.Count);
            WriteNumber(json, "medianEventsPerSecond", stage.MedianJitFreeEventsPerSecond);
            json.WriteEndObject();
            json.WriteStartArray("perRun");
            foreach (var sample in stage.Samples)
            {
                WriteSample(json, sample);
            }

            json.WriteEndArray();
            if (stage.WarmUp is { } warmUp)
            {
                json.WritePropertyName("warmUp");
                WriteSample(json, warmUp);
            }
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (PipelineStagesBenchmark.Ratio(inputs.Stages) is { } ratio)
        {
            json.WriteStartObject("pipelineOverSlowestStage");
            WriteNumber(json, "ratio", ratio.Value);
            json.WriteString("slowestStage", ratio.Slowest.Key);
            json.WriteString("pipelineStage", ratio.Pipeline.Key);
            json.WriteEndObject();
        }

        if (inputs.Stages.Any(s => s.Key == "pipeline-memory") && PipelineStagesBenchmark.Ratio(inputs.Stages, "pipeline") is { } files)
        {
            json.WriteStartObject("filesPipelineOverSlowestStage");
            WriteNumber(json, "ratio", files.Value);
            json.WriteString("slowestStage", files.Slowest.Key);
            json.WriteString("pipelineStage", files.Pipeline.Key);
            json.WriteEndObject();
        }

        if (inputs.Stages.FirstOrDefault(s => s.Key == "replay") is { } replay)
        {
            WriteNumber(json, "replayBaselineEventsPerSecond", replay.MedianEventsPerSecond);
        }

        json.WriteStartObject("checks");
        json.WriteBoolean("passed", inputs.Checks.Failures.Count == 0);
        json.WriteStartArray("failures");
        foreach (var failure in inputs.Checks.Failures)
        {
            json.WriteStringValue(failure);
        }

        json.WriteEndArray();
        if (inputs.Checks.BooksDigest is { } digest)
        {
            json.WriteString("booksDigest", digest.ToString("x8", CultureInfo.InvariantCulture));
            json.WriteNumber("signals", inputs.Checks.SignalCount ?? 0);
            json.WriteString("signalDigest", (inputs.Checks.SignalDigest ?? 0).ToString("x8", CultureInfo.InvariantCulture));
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteSample(Utf8JsonWriter json, StageSample sample)
    {
        json.WriteStartObject();
        WriteNumber(json, "seconds", sample.Seconds);
        WriteNumber(json, "eventsPerSecond", sample.EventsPerSecond);
        WriteNumber(json, "framesPerSecond", sample.FramesPerSecond);
        json.WriteStartArray("gc");
        json.WriteNumberValue(sample.Gen0);
        json.WriteNumberValue(sample.Gen1);
        json.WriteNumberValue(sample.Gen2);
        json.WriteEndArray();
        WriteNumber(json, "stealPercent", sample.StealPercent);
        WriteNumber(json, "cpuSeconds", sample.CpuSeconds);
        WriteNumber(json, "jitSeconds", sample.JitSeconds);
        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Everything the report says.</summary>
    internal sealed record Inputs(
        MachineInfo Machine,
        string Command,
        PipelineStagesOptions Options,
        RecordingInput Input,
        RecordedLines Lines,
        long Frames,
        long Events,
        int SegmentSize,
        bool JournalOnCoreThread,
        int LatencySampleInterval,
        IReadOnlyList<StageRuns> Stages,
        StageChecks Checks,
        string LoadAtStart,
        string LoadAtEnd);
}
