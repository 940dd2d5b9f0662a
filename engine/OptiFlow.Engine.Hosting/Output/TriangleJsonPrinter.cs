using System.Text;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Hosting.Output;

/// <summary>
/// A consumer of the outbound ring that writes every <see cref="EvaluatorRecordType.TriangleOpportunity"/> record as a
/// JSON line, <c>{"n":17,"symbol":"ETHBTC","u":123,"path":"USDT&gt;ETH&gt;BTC&gt;USDT","edge_bps":12.5,"max_start_qty":1.25}</c>:
/// the trigger number, the trigger's symbol and update id, the cycle, and edge and size as shortest round-trip doubles.
/// What <c>optiflow triangles</c> prints.
/// </summary>
/// <remarks>
/// Lines of one trigger come in the order the evaluator emitted them: by path, ordinal (<see cref="TriangleEvaluator"/>
/// evaluates each instrument's cycles in that order). Runs on its own consumer thread
/// (<see cref="EngineOptions.OutboundHandlers"/>); path texts are encoded once at construction, so a line allocates
/// nothing once the buffer has grown. The buffer is flushed when the thread stops. Other records are skipped.
/// </remarks>
public sealed class TriangleJsonPrinter : IEventHandler<OutboundEvent>
{
    private readonly Utf8OutputBuffer _output;
    private readonly SymbolTable _symbols;
    private readonly byte[][] _paths;

    /// <summary>Creates the printer.</summary>
    /// <param name="output">Where lines go (not owned).</param>
    /// <param name="symbols">The session's symbol table (trigger names by id).</param>
    /// <param name="universe">The evaluator's universe (paths by triangle id and direction).</param>
    public TriangleJsonPrinter(Utf8OutputBuffer output, SymbolTable symbols, TriangleUniverse universe)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(universe);
        _output = output;
        _symbols = symbols;
        _paths = new byte[universe.Count * 2][];
        foreach (var triangle in universe.Triangles)
        {
            _paths[triangle.Id * 2] = Encoding.UTF8.GetBytes(triangle.ForwardPath);
            _paths[(triangle.Id * 2) + 1] = Encoding.UTF8.GetBytes(triangle.ReversePath);
        }
    }

    /// <summary>Lines written.</summary>
    public long Lines { get; private set; }

    /// <inheritdoc/>
    public void OnStart()
    {
    }

    /// <inheritdoc/>
    public void OnBatchStart(long firstSequence, long count)
    {
    }

    /// <inheritdoc/>
    public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
    {
        if (data.Kind != OutboundEventKind.EvaluatorRecord || data.EvaluatorRecord.Type != EvaluatorRecordType.TriangleOpportunity)
        {
            return;
        }

        ref var record = ref data.EvaluatorRecord;
        ref readonly var body = ref record.BodyAs<TriangleOpportunity>();
        _output.Bytes("{\"n\":"u8);
        _output.Integer(body.N);
        _output.Bytes(",\"symbol\":\""u8);
        _output.Bytes(_symbols.Utf8NameOf(record.SymbolId));
        _output.Bytes("\",\"u\":"u8);
        _output.Integer(body.U);
        _output.Bytes(",\"path\":\""u8);
        _output.Bytes(_paths[(body.TriangleId * 2) + (int)body.Direction]);
        _output.Bytes("\",\"edge_bps\":"u8);
        _output.Ratio(body.EdgeBps);
        _output.Bytes(",\"max_start_qty\":"u8);
        _output.Ratio(body.MaxStartQty);
        _output.Byte((byte)'}');
        _output.EndLine();
        Lines++;
    }

    /// <inheritdoc/>
    /// <remarks>Flushes the buffer.</remarks>
    public void OnShutdown() => _output.Flush();
}
