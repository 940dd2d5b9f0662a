using OptiFlow.PerfTests.Books;
using OptiFlow.PerfTests.Harness;
using OptiFlow.PerfTests.Pipeline;
using OptiFlow.PerfTests.Trading;
using OptiFlow.PerfTests.Triangles;

// Run: dotnet run -c Release --project perf/OptiFlow.PerfTests -- [--json PATH] [--runs N] [--cpus LIST] [--filter NAME] [--scale X]
//      dotnet run -c Release --project perf/OptiFlow.PerfTests -- triangles [--events N] [--runs N] [--cpu N]
//      dotnet run -c Release --project perf/OptiFlow.PerfTests -- histogram-recording [--values N] [--runs N]
//      dotnet run -c Release --project perf/OptiFlow.PerfTests -- order-encoding [--orders N] [--runs N]
//      dotnet run -c Release --project perf/OptiFlow.PerfTests -- stages [--recording FILE] [--market futures|spot] [--runs N] [--json PATH] [--journal-root DIR] [--stages LIST]
//      dotnet run -c Release --project perf/OptiFlow.PerfTests -- book-levels [--recording FILE] [--runs N]
//      dotnet run -c Release --project perf/OptiFlow.PerfTests -- tick-to-order [--runs N] [--pace xN] [--core-cpu N|none] [--gateway-cpu N|none] [--json PATH]
return args.Length > 0 && args[0] == "triangles" ? TriangleEvaluationBenchmark.Run(args[1..])
    : args.Length > 0 && args[0] == "histogram-recording" ? OptiFlow.PerfTests.Telemetry.HistogramRecordingBenchmark.Run(args[1..])
    : args.Length > 0 && args[0] == "order-encoding" ? OrderEncodingBenchmark.Run(args[1..])
    : args.Length > 0 && args[0] == "stages" ? PipelineStagesBenchmark.Run(args[1..])
    : args.Length > 0 && args[0] == "book-levels" ? PriceLevelsBenchmark.Run(args[1..])
    : args.Length > 0 && args[0] == "tick-to-order" ? TickToOrderBenchmark.Run(args[1..])
    : PerfRunner.Run(args);
