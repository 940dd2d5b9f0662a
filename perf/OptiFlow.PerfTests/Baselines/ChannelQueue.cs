using System.Threading.Channels;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>
/// A bounded <see cref="Channel{T}"/> (capacity as the ring, <c>FullMode.Wait</c>, single reader/writer flags
/// where the topology allows), driven by spinning on <c>TryWrite</c>/<c>TryRead</c> as the reference figure was.
/// </summary>
internal readonly struct ChannelQueue<T> : IBaselineQueue<T, ChannelQueue<T>>
{
    private readonly ChannelWriter<T> _writer;
    private readonly ChannelReader<T> _reader;

    private ChannelQueue(Channel<T> channel)
    {
        _writer = channel.Writer;
        _reader = channel.Reader;
    }

    public static string Name => "Channel";

    public static ChannelQueue<T> Create(int capacity, bool singleReader, bool singleWriter) =>
        new(Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = singleReader,
            SingleWriter = singleWriter,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        }));

    public bool TryWrite(T item) => _writer.TryWrite(item);

    public bool TryRead(out T item) => _reader.TryRead(out item!);
}
