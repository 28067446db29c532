using CliWrap;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Process;
using Pipeline.Tools.S3;
using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Benchmarks;

/// <summary>The backup curve: a no-op <c>./build.sh Backup</c> (the compiled build as a process, as BackupScenario runs it)
/// of 1k, 10k and 100k small files against a local s3rver (127.0.0.1:23210), after a cold backup of each; median of 3.
/// The repositories are encrypted, as new ones are by default (a key-file slot).
/// The law: one listing and one stat per file against the local cache, so a constant plus a small cost per file.</summary>
public sealed partial class ScaleScenario
{
    private const int BackupPort = 23210;

    private static async Task<GrowthLaw> BackupCurveAsync(BenchmarkContext context, AbsolutePath work, CancellationToken ct)
    {
        var services = new LocalServiceManager(work / "services");
        await services.StartAsync(S3rver.Spec(work / "s3rver", BackupPort, ["bench-scale"], "s3rver-scale"), ct);
        var points = new List<(double, double)>();
        try
        {
            foreach (var files in new[] { 1_000, 10_000, 100_000 })
            {
                var data = work / "data" / $"{files}";
                var root = work / "root" / $"{files}";
                (root / "environments").CreateDirectory();
                await File.WriteAllTextAsync(root / "environments" / "bench.yml", $$"""
                    s3: { endpoint: "http://127.0.0.1:{{BackupPort}}", region: us-east-1, path-style: true }
                    backups:
                      bucket: bench-scale
                      prefix: scale-{{files}}
                      concurrency: 8
                      key-file: {{work / "scale.key"}}
                      sets:
                        data: { sources: ["{{data}}"] }
                    """, ct);
                Generate(data, files);
                var backup = SelfCommand.Wrap(["Backup", "--environment", "bench", "--no-logo"])
                    .WithEnvironment("PIPELINE_ROOT", root).WithEnvironment("AWS_CA_BUNDLE", null);
                Log.Information($"scale: cold backup of {files} files (not measured)…");
                await Measurement.RunQuietAsync(backup, ct);
                Log.Information($"scale: no-op backup of {files} files, 3 runs…");
                var noop = await Measurement.TakeAsync($"{files}", 3, c => Measurement.RunQuietAsync(backup, c), ct);
                points.Add((files / 1000.0, noop.Median.TotalMilliseconds));
            }
        }
        finally
        {
            await services.StopAsync("s3rver-scale", CancellationToken.None);
        }
        return new GrowthLaw("No-op backup of 1k, 10k and 100k files", "thousands of files",
            "a no-op lists the source once and compares each file's stat with the local cache (no read, no hash, no upload), so the "
            + "time is the process's start plus a small cost per file", points);
    }

    /// <summary><paramref name="count"/> files of 64 bytes, 100 to a folder, dated an hour ago.</summary>
    private static void Generate(AbsolutePath directory, int count)
    {
        var stamp = DateTime.UtcNow.AddHours(-1);
        for (var i = 0; i < count; i++)
        {
            var folder = directory / $"d{i / 100:D4}";
            if (i % 100 == 0) folder.CreateDirectory();
            var file = folder / $"f{i:D6}.txt";
            File.WriteAllText(file, $"file {i:D6} of the scale benchmark, 64 bytes long, padded: ".PadRight(63, '.') + "\n");
            File.SetLastWriteTimeUtc(file, stamp);
        }
    }
}
