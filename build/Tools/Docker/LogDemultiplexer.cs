using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Tools.Docker;

public enum LogStreamKind : byte { StandardInput = 0, StandardOutput = 1, StandardError = 2 }

/// <summary>One frame of a container's multiplexed output.</summary>
public sealed record LogFrame(LogStreamKind Kind, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>A container's output split into its streams.</summary>
public sealed record ContainerOutput(string StandardOutput, string StandardError)
{
    public string Combined => StandardOutput + StandardError;
}

/// <summary>
/// Splits the stream logs, attach and exec answer for containers without a TTY: each frame is an 8-byte header
/// (stream type, three zero bytes, big-endian payload length) followed by the payload.
/// </summary>
public static class LogDemultiplexer
{
    public static async IAsyncEnumerable<LogFrame> ReadFramesAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var header = new byte[8];
        while (true)
        {
            var read = await ReadFullyAsync(stream, header, ct);
            if (read == 0) yield break;
            if (read < header.Length) throw new InvalidDataException($"The log stream ended inside a frame header ({read} of 8 bytes).");
            if (header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
                throw new InvalidDataException($"Not a multiplexed log stream (header starts {header[0]:x2} {header[1]:x2}); was the container started with a TTY?");
            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var payload = new byte[length];
            if (await ReadFullyAsync(stream, payload, ct) < payload.Length)
                throw new InvalidDataException($"The log stream ended inside a frame of {length} bytes.");
            yield return new LogFrame((LogStreamKind)header[0], payload);
        }
    }

    /// <summary>Reads the whole stream into standard output and standard error.</summary>
    public static async Task<ContainerOutput> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await foreach (var frame in ReadFramesAsync(stream, ct))
            (frame.Kind == LogStreamKind.StandardError ? stderr : stdout).Write(frame.Data);
        return new ContainerOutput(Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>Builds one frame (for tests and fakes).</summary>
    public static byte[] Frame(LogStreamKind kind, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = (byte)kind;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static async Task<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total), ct);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
