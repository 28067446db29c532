using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>The common ar format a .deb is: a global header, then members with fixed 60-byte headers, padded to even sizes.</summary>
public static class ArArchive
{
    public static void Write(Stream output, IEnumerable<(string Name, byte[] Content)> members, DateTimeOffset time)
    {
        Write(output, "!<arch>\n");
        foreach (var (name, content) in members)
        {
            if (name.Length > 16 || name.Contains('/') || name.Contains(' '))
                throw new ArgumentException(
                    $"ar member name '{name}' must be at most 16 characters without '/' or spaces",
                    nameof(members)
                );
            var header = new StringBuilder()
                .Append(name.PadRight(16))
                .Append(time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(12))
                .Append("0".PadRight(6))
                .Append("0".PadRight(6))
                .Append("100644".PadRight(8))
                .Append(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(10))
                .Append("`\n");
            Write(output, header.ToString());
            output.Write(content);
            if (content.Length % 2 == 1) output.WriteByte((byte)'\n');
        }
    }

    /// <summary>Reads members back (name and content), for tests and for the repository index.</summary>
    public static IEnumerable<(string Name, byte[] Content)> Read(Stream input)
    {
        var magic = new byte[8];
        input.ReadExactly(magic);
        if (Encoding.ASCII.GetString(magic) != "!<arch>\n") throw new InvalidDataException("not an ar archive");
        var header = new byte[60];
        while (input.ReadAtLeast(header, 60, throwOnEndOfStream: false) == 60)
        {
            var text = Encoding.ASCII.GetString(header);
            var size = int.Parse(text.AsSpan(48, 10).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var content = new byte[size];
            input.ReadExactly(content);
            if (size % 2 == 1) input.ReadByte();
            yield return (text[..16].TrimEnd().TrimEnd('/'), content);
        }
    }

    private static void Write(Stream output, string ascii) => output.Write(Encoding.ASCII.GetBytes(ascii));
}
