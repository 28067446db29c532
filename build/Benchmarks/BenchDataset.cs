using Pipeline.Engine;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>The backup benchmark's fixed dataset: the same bytes every time (seeded), files dated an hour ago.</summary>
public static class BenchDataset
{
    /// <summary>Writes the dataset into <paramref name="directory"/>; answers its description.</summary>
    public static string Generate(AbsolutePath directory)
    {
        var random = new Random(20261122);
        long bytes = 0;
        for (var i = 0; i < 1000; i++)
            bytes += Write(
                SmallFile(directory, i),
                random.Next(4 << 10, (64 << 10) + 1),
                random
            );
        for (var i = 0; i < 20; i++) bytes += Write(directory / "media" / $"one-mib-{i:D2}.bin", 1 << 20, random);
        bytes += Write(directory / "big" / "blob.bin", 64 << 20, random);
        return $"1021 files, {bytes / (1024.0 * 1024.0):0.0} MiB (1000 files of 4–64 KiB in 3 levels of folders, 20 of 1 MiB, one of 64 "
            + $"MiB)";
    }

    /// <summary>Rewrites 10 of the small files with new content (different ones each run).</summary>
    public static void ChangeTen(AbsolutePath directory, int run)
    {
        var random = new Random(run * 7919);
        for (var k = 0; k < 10; k++)
        {
            var i = (run * 97 + k * 101) % 1000;
            Write(
                SmallFile(directory, i),
                random.Next(4 << 10, (64 << 10) + 1),
                random,
                DateTime.UtcNow.AddSeconds(-30)
            );
        }
    }

    /// <summary>Rewrites 1% of the 64 MiB file, in four spread-out places (a dump that changed a little).</summary>
    public static void ChangeLarge(AbsolutePath directory, int run)
    {
        var path = directory / "big" / "blob.bin";
        var random = new Random(run * 104_729);
        var length = new FileInfo(path).Length;
        var bytes = new byte[length / 100 / 4];
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write))
            for (var k = 1; k <= 4; k++)
            {
                random.NextBytes(bytes);
                RandomAccess.Write(handle, bytes, length / 5 * k - random.Next(bytes.Length));
            }
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-30));
    }

    /// <summary>Relative path and SHA-256 of every file, as one hash.</summary>
    public static string Fingerprint(AbsolutePath directory)
    {
        var sb = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            sb.Append(Path.GetRelativePath(directory, file))
                .Append(' ')
                .Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))))
                .Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>The i-th of the 1000 small files, three levels of folders down.</summary>
    private static AbsolutePath SmallFile(AbsolutePath directory, int i) =>
        directory / $"d{i % 10}" / $"e{i % 7}" / $"f{i % 3}" / $"file-{i:D4}.bin";

    private static long Write(AbsolutePath path, int size, Random random, DateTime? time = null)
    {
        path.Parent.CreateDirectory();
        var bytes = new byte[size];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, time ?? DateTime.UtcNow.AddHours(-1));
        return size;
    }
}
