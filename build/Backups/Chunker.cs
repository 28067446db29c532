using System.Buffers;
using System.Runtime.CompilerServices;

namespace Pipeline.Backups;

/// <summary>
/// Cuts a stream of any length (a file, or a dump whose length nobody knows in advance) into content-defined chunks
/// (<see cref="FastCdc"/>). The chunks do not depend on how the stream hands out its bytes: a cut is decided only
/// once <see cref="ChunkSizes.Max"/> bytes past the previous one are buffered, or the stream has ended.
/// </summary>
public static class Chunker
{
    /// <summary>Each chunk in order. A chunk's memory is valid only until the next one is asked for: copy what you keep.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ChunksAsync(
        Stream source,
        ChunkSizes sizes,
        [EnumeratorCancellation] CancellationToken ct
    )
    {
        // Four maxima: a compaction moves less than one maximum, after at least two were consumed.
        var buffer = ArrayPool<byte>.Shared.Rent(sizes.Max * 4);
        try
        {
            int start = 0, end = 0;
            var ended = false;
            while (true)
            {
                if (!ended && end - start < sizes.Max)
                {
                    if (buffer.Length - start < sizes.Max * 2)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    while (!ended && end - start < sizes.Max)
                    {
                        var read = await source.ReadAsync(buffer.AsMemory(end), ct);
                        if (read == 0) ended = true;
                        else end += read;
                    }
                }
                if (end == start) yield break;
                var length = FastCdc.Cut(buffer.AsSpan(start, end - start), sizes);
                yield return buffer.AsMemory(start, length);
                start += length;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }
}
