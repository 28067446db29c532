using System.Formats.Tar;
using System.Text;

namespace Pipeline.Baking;

/// <summary>Writes the build context of a <see cref="GeneratedImage"/> as a tar (fixed times and owners, so it is reproducible).</summary>
public static class ContextArchive
{
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task WriteAsync(GeneratedImage generated, string dockerfile, Stream destination, CancellationToken ct)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await writer.WriteEntryAsync(File("Dockerfile", Encoding.UTF8.GetBytes(dockerfile), (UnixFileMode)0x1A4), ct);
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in generated.Entries)
            for (var dir = Path.GetDirectoryName(entry.Path); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                directories.Add(dir);
        foreach (var dir in directories)
            await writer.WriteEntryAsync(
                new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = (UnixFileMode)0x1ED, ModificationTime = Epoch },
                ct
            );
        foreach (var entry in generated.Entries.OrderBy(e => e.Path, StringComparer.Ordinal))
            await writer.WriteEntryAsync(File(entry.Path, entry.ReadAllBytes(), entry.Mode), ct);
    }

    /// <summary>The context in memory (contexts are small except for .debs).</summary>
    public static async Task<MemoryStream> ToStreamAsync(GeneratedImage generated, string dockerfile, CancellationToken ct)
    {
        var stream = new MemoryStream();
        await WriteAsync(generated, dockerfile, stream, ct);
        stream.Position = 0;
        return stream;
    }

    private static PaxTarEntry File(string path, byte[] content, UnixFileMode mode) =>
        new(TarEntryType.RegularFile, path)
        {
            DataStream = new MemoryStream(content),
            Mode = mode,
            ModificationTime = Epoch,
            Uid = 0,
            Gid = 0,
        };
}
