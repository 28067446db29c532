using System.IO.Compression;

namespace Pipeline.Packaging.Building;

/// <summary>gzip with no name and no timestamp in the header, so the same bytes in give the same bytes out.</summary>
public static class DeterministicGzip
{
    public static byte[] Compress(ReadOnlySpan<byte> content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(content);
        return output.ToArray();
    }

    public static byte[] Decompress(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
