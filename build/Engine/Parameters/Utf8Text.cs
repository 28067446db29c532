using System.Text;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// Strict UTF-8 for files people write (definitions, <c>.nuke/parameters.json</c>): a byte that is not UTF-8 is
/// an error at its line and column, never silently replaced by U+FFFD. Positions are 1-based; columns count characters.
/// </summary>
public static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The file's bytes without a leading byte-order mark.</summary>
    public static byte[] ReadBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().StartsWith(Bom) ? bytes[Bom.Length..] : bytes;
    }

    /// <summary>Decodes <paramref name="bytes"/>; on a byte that is not UTF-8, returns false with its position and a message.</summary>
    public static bool TryDecode(byte[] bytes, out string text, out (int Line, int Column) position, out string problem)
    {
        try
        {
            text = Strict.GetString(bytes);
            position = default;
            problem = "";
            return true;
        }
        catch (DecoderFallbackException)
        {
            var index = FirstInvalid(bytes);
            text = "";
            position = Position(bytes, index);
            problem = $"byte 0x{bytes[index]:X2} is not UTF-8 (save the file as UTF-8)";
            return false;
        }
    }

    /// <summary>The 1-based line and column of the byte at <paramref name="offset"/>.</summary>
    public static (int Line, int Column) Position(ReadOnlySpan<byte> bytes, long offset)
    {
        var end = (int)Math.Clamp(offset, 0, bytes.Length);
        var before = bytes[..end];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = Encoding.UTF8.GetCharCount(bytes[lineStart..end]) + 1;
        return (line, column);
    }

    /// <summary>The offset of the first byte that does not start a valid UTF-8 sequence.</summary>
    private static int FirstInvalid(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length;)
        {
            if (Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out var consumed) != System.Buffers.OperationStatus.Done) return i;
            i += consumed;
        }
        return bytes.Length - 1;
    }
}
