using System.Globalization;

namespace OptiFlow.PerfTests.Harness;

/// <summary>Command-line options of the harness.</summary>
internal sealed class PerfOptions
{
    public int Runs { get; private set; } = 7;

    public string? JsonPath { get; private set; }

    public int[]? Cpus { get; private set; }

    public string? Filter { get; private set; }

    /// <summary>Multiplies every test's event count (0.1 for a quick look, 2 for steadier figures).</summary>
    public double Scale { get; private set; } = 1.0;

    /// <summary>The ring processors' <c>MaxBatchSize</c> as a fraction of the ring: 4 means a quarter; 0 means unlimited.</summary>
    public int BatchDivisor { get; private set; }

    /// <summary>
    /// The ring processors' linger (<c>BatchEventProcessor.SetLinger</c>): batches smaller than <see cref="LingerBatchSize"/>
    /// events wait for more, up to <see cref="LingerNanoseconds"/> ns. 0 (the default): no linger, the engine's own default.
    /// </summary>
    public int LingerBatchSize { get; private set; }

    /// <summary>See <see cref="LingerBatchSize"/>.</summary>
    public long LingerNanoseconds { get; private set; }

    /// <summary>True with <c>--no-chase-pacing</c>: the ring processors run without the chase pacing (<c>BatchEventProcessor.SetChasePacing(0, 0, 0)</c>), to compare with the engine's default.</summary>
    public bool NoChasePacing { get; private set; }

    /// <summary>The ring consumers' wait strategy: yielding (default), busyspin, sleeping, blocking.</summary>
    public string Wait { get; private set; } = "yielding";

    /// <summary>
    /// Capacity of every ring and of every baseline queue/channel (the same capacity on both sides of each ratio), a power
    /// of two. Default 1024; Disruptor-net's own throughput tests use 65536 for the ring and the Channel alike.
    /// </summary>
    public int BufferSize { get; private set; } = 1024;

    public static PerfOptions Parse(string[] args)
    {
        var options = new PerfOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--runs":
                    options.Runs = int.Parse(Value(), CultureInfo.InvariantCulture);
                    if (options.Runs < 1)
                    {
                        throw new ArgumentException("--runs must be at least 1.");
                    }

                    break;
                case "--json":
                    options.JsonPath = Value();
                    break;
                case "--cpus":
                    options.Cpus = ParseCpuList(Value());
                    break;
                case "--filter":
                    options.Filter = Value();
                    break;
                case "--scale":
                    options.Scale = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--wait":
                    options.Wait = Value().ToLowerInvariant();
                    if (options.Wait is not ("yielding" or "busyspin" or "sleeping" or "blocking"))
                    {
                        throw new ArgumentException($"--wait {options.Wait}: expected yielding, busyspin, sleeping or blocking.");
                    }

                    break;
                case "--buffer-size":
                    options.BufferSize = int.Parse(Value(), CultureInfo.InvariantCulture);
                    if (options.BufferSize < 2 || !int.IsPow2(options.BufferSize))
                    {
                        throw new ArgumentException($"--buffer-size {options.BufferSize}: expected a power of two, at least 2.");
                    }

                    break;
                case "--batch-divisor":
                    options.BatchDivisor = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--linger":
                    (options.LingerBatchSize, options.LingerNanoseconds) = ParseLinger(Value());
                    break;
                case "--no-chase-pacing":
                    options.NoChasePacing = true;
                    break;
                case "--help" or "-h":
                    throw new ArgumentException("usage");
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        return options;
    }

    private const long MaxLingerNanoseconds = OptiFlow.Engine.Processing.BatchEventProcessor<Events.LongEvent, Ring.SummingHandler<Events.LongEvent, Events.LongEventAccessor>>.MaxLingerNanoseconds;

    /// <summary>Parses <c>--linger BATCH:NS</c>, e.g. <c>256:2000</c> (batches under 256 events wait up to 2 µs); <c>0</c> for none.</summary>
    public static (int BatchSize, long Nanoseconds) ParseLinger(string text)
    {
        if (text == "0")
        {
            return (0, 0);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !int.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var batch)
            || !long.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds)
            || batch < 2 || nanoseconds < 1 || nanoseconds > MaxLingerNanoseconds)
        {
            throw new ArgumentException($"--linger {text}: expected BATCH:NS with BATCH at least 2 and NS in 1..{MaxLingerNanoseconds} (e.g. 256:2000), or 0.");
        }

        return (batch, nanoseconds);
    }

    /// <summary>Parses a <c>taskset -c</c> style list: <c>0,2-3</c>.</summary>
    public static int[] ParseCpuList(string text)
    {
        var cpus = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0)
            {
                var from = int.Parse(part[..dash], CultureInfo.InvariantCulture);
                var to = int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
                for (var c = from; c <= to; c++)
                {
                    cpus.Add(c);
                }
            }
            else
            {
                cpus.Add(int.Parse(part, CultureInfo.InvariantCulture));
            }
        }

        if (cpus.Count == 0)
        {
            throw new ArgumentException($"Empty CPU list '{text}'.");
        }

        return [.. cpus];
    }
}
