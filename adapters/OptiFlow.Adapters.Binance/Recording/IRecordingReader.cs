namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// A recorded session read frame by frame, whatever its file format (<see cref="RecordingFormat"/>).
/// </summary>
/// <remarks>
/// Chosen once at wiring time (<see cref="RecordingReaders.Open"/>); the one interface call per frame is outside the
/// decoder's inner loops. Implementations are not thread-safe (one reader per producer thread), allocation-free per
/// line in steady state, and report I/O errors as <see cref="IOException"/> / <see cref="InvalidDataException"/>;
/// damaged or cut gzip data as <see cref="DamagedRecordingException"/>, after every complete line before it (reading
/// again goes on with the next file).
/// </remarks>
public interface IRecordingReader : IDisposable
{
    /// <summary>Advances to the next frame.</summary>
    /// <param name="frame">The frame; its <see cref="RecordedFrame.Frame"/> bytes are valid until the next call.</param>
    /// <returns>False after the last frame of the last file.</returns>
    /// <remarks>Allocation-free per frame in steady state; throws <see cref="ObjectDisposedException"/> after dispose.</remarks>
    bool TryRead(out RecordedFrame frame);
}
