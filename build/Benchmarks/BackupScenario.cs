using CliWrap;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Apt;
using Pipeline.Tools.Process;
using Pipeline.Tools.S3;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>
/// Backup and restore of a fixed generated dataset (1000 files of 4–64 KiB in nested folders, 20 files of 1 MiB,
/// one of 64 MiB) against a local s3rver, beside <c>s3cmd sync</c> and <c>rclone sync</c> in the same run, each
/// as its own process: cold upload, no-op, 10 files changed, 1% of the 64 MiB file changed, restore (download with
/// verification). Ours runs twice, into
/// an encrypted repository (the default; a key-file slot) and an unencrypted one (<c>encryption: none</c>), side by side.
/// </summary>
public sealed class BackupScenario : IBenchmarkScenario
{
    public const int Port = 23200;
    public const double ColdGoalVsS3cmd = 0.5, ColdGoalVsRclone = 1.0, NoopGoalVsS3cmd = 0.5, EncryptedGoal = 1.15;
    private const string Plain = "ours-plain";
    private const string LargeChanged = "64 MiB file 1% changed";
    private static readonly string[] AllWays = ["ours", Plain, "s3cmd", "rclone"];

    /// <summary>The peers and the server: installed here when missing (as root), as Prerequisites would.</summary>
    public static readonly Tool[] Tools = [Tool.Apt("s3cmd"), Tool.Apt("rclone"), S3rver.Tool];

    public string Name => "backup";

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var runs = Math.Clamp(context.Runs, 1, 3);
        if (ToolCheck.Missing(Tools).Count > 0)
            await new PrerequisiteInstaller(context.Build.IsRoot, dryRun: false).InstallAsync(Tools, ct);
        var work = context.Build.TemporaryDirectory / "bench-backup";
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        var data = (work / "data").CreateDirectory();
        var services = new LocalServiceManager(work / "services");
        string[] buckets = ["bench-ours", "bench-plain", "bench-s3cmd", "bench-rclone"];
        await services.StartAsync(S3rver.Spec(work / "s3rver", Port, buckets, "s3rver-bench"), ct);
        try
        {
            Log.Information("Generating the dataset…");
            var dataset = BenchDataset.Generate(data);
            var ways = new Ways(context, work, data);
            var phases = new[] { "cold upload", "no-op", "10 files changed", LargeChanged, "restore with verification" };
            var samples = phases.ToDictionary(
                p => p,
                _ => AllWays.ToDictionary(w => w, _ => new List<TimeSpan>())
            );
            for (var run = 1; run <= runs; run++)
            {
                Log.Information($"Run {run}/{runs}…");
                // Encrypted and unencrypted take turns going first, so neither always meets a warmer server.
                string[] order = run % 2 == 0 ? [Plain, "ours", "s3cmd", "rclone"] : AllWays;
                foreach (var way in order)
                    samples["cold upload"][way].Add(await ways.TimeAsync(way, "upload", run, ct));
                foreach (var way in order)
                    samples["no-op"][way].Add(await ways.TimeAsync(way, "upload", run, ct));
                BenchDataset.ChangeTen(data, run);
                foreach (var way in order)
                    samples["10 files changed"][way].Add(await ways.TimeAsync(way, "upload", run, ct));
                BenchDataset.ChangeLarge(data, run);
                foreach (var way in order)
                    samples[LargeChanged][way].Add(await ways.TimeAsync(way, "upload", run, ct));
                foreach (var way in order)
                    samples["restore with verification"][way].Add(await ways.TimeAsync(way, "restore", run, ct));
                ways.CheckRestored(run);
            }
            return Render(dataset, runs, samples, ways.Notes);
        }
        finally
        {
            await services.StopAsync("s3rver-bench", CancellationToken.None);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static string Render(
        string dataset,
        int runs,
        Dictionary<string, Dictionary<string, List<TimeSpan>>> samples,
        List<string> notes
    )
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Backup: content-addressed snapshots, encrypted and not, vs `s3cmd sync` and `rclone sync`").AppendLine();
        sb.AppendLine(
                $"Dataset: {dataset}. Server: s3rver 3.7.1 on 127.0.0.1:{Port}, a bucket per tool. Every way runs as its own process "
                    + "(ours: the compiled build, `Backup` / `Restore --restore-into` with `--environment bench`), in this order each run: "
                    + "cold upload to an empty prefix, no-op, 10 files rewritten then synced again, 1% of the 64 MiB file rewritten "
                    + "in four places then synced again, restore into an empty folder "
                    + "(ours checks every content's SHA-256; s3cmd and rclone check MD5/ETag). "
                    + $"Ours stores files up to {Backups.PackWriter.MaxPackedSize >> 20} MiB packed into packs of about "
                        + $"{Backups.PackWriter.TargetSize >> 20} MiB with an index each "
                    + $"(as restic and kopia do), larger ones cut into content-defined chunks (FastCDC, "
                        + $"{Backups.ChunkSizes.Default.Min >> 10} KiB / {Backups.ChunkSizes.Default.Average >> 10} KiB / "
                        + $"{Backups.ChunkSizes.Default.Max >> 10} KiB min / average / max) stored in the same packs; "
                    + "s3cmd and rclone store one object per file. Ours (encrypted) is a new repository with a key-file slot: every "
                    + "object sealed with AES-256-GCM, contents named by HMAC-SHA256; ours (unencrypted) has `encryption: none`, in "
                    + "its own bucket. Medians of "
                    + runs.ToString(CultureInfo.InvariantCulture)
                    + " runs."
            )
            .AppendLine();
        sb.AppendLine(
            "| phase | ours (encrypted) | ours (unencrypted) | encrypted / unencrypted | s3cmd sync | rclone sync | ours / s3cmd | "
            + "ours / rclone | goal |"
        );
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (phase, ways) in samples)
        {
            var ours = Median(ways["ours"]);
            var plain = Median(ways[Plain]);
            var vsPlain = ours / plain;
            var s3cmd = Median(ways["s3cmd"]);
            var rclone = Median(ways["rclone"]);
            var vsS3cmd = ours / s3cmd;
            var vsRclone = ours / rclone;
            var goal = phase switch
            {
                "cold upload" =>
                    $"≤ {ColdGoalVsS3cmd} × s3cmd: **{Met(vsS3cmd <= ColdGoalVsS3cmd)}**; ≤ {ColdGoalVsRclone} × rclone: "
                    + $"**{Met(vsRclone <= ColdGoalVsRclone)}**",
                "no-op" => $"≤ {NoopGoalVsS3cmd} × s3cmd: **{Met(vsS3cmd <= NoopGoalVsS3cmd)}**",
                _ => "",
            };
            goal = $"≤ {EncryptedGoal} × unencrypted: **{Met(vsPlain <= EncryptedGoal)}**" + (goal.Length > 0 ? $"; {goal}" : "");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {phase} | {ours:0} ms | {plain:0} ms | {vsPlain:0.00} | {s3cmd:0} ms | {rclone:0} ms | {vsS3cmd:0.00} "
                + $"| {vsRclone:0.00} | {goal} |"));
        }
        sb.AppendLine().AppendLine("Samples (ms, in run order):").AppendLine();
        foreach (var (phase, ways) in samples)
            sb.AppendLine(
                $"- {phase}: "
                    + string.Join(
                        "; ",
                        ways.Select(w =>
                            $"{w.Key} {string.Join(", ", w.Value.Select(t => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)))}"
                        )
                    )
            );
        sb.AppendLine();
        sb.AppendLine(
            notes.Count == 0
                ? "Every restore (ours, s3cmd's, rclone's) was checked file by file against the dataset: all equal."
                : "Restore checks: " + string.Join(" ", notes)
        );
        sb.AppendLine(
            "rclone runs with `--fast-list` (flat listing: without it, s3rver's missing folder-only prefixes hide nested files from "
            + "rclone)."
        );
        sb.AppendLine();
        sb.AppendLine(
            $"Machine: load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end (other builds share the 2 cores),  "
            + $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; measured "
                + $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, all ways in the same run."
        );
        return sb.ToString();
    }

    private static string Met(bool met) => met ? "met" : "NOT met";

    private static double Median(List<TimeSpan> samples) => new Measurement("", samples).Median.TotalMilliseconds;

    /// <summary>The three ways to upload and restore, as commands.</summary>
    private sealed class Ways
    {
        private readonly AbsolutePath _work, _data, _s3cmdConfig, _rcloneConfig;

        public Ways(BenchmarkContext context, AbsolutePath work, AbsolutePath data)
        {
            _work = work;
            _data = data;
            (work / "root" / "environments").CreateDirectory();
            var environments = new[] { ("bench", "bench-ours", "aes-256-gcm"), ("bench-plain", "bench-plain", "none") };
            foreach (var (name, bucket, encryption) in environments)
                File.WriteAllText(work / "root" / "environments" / $"{name}.yml", $$"""
                    s3: { endpoint: "http://127.0.0.1:{{Port}}", region: us-east-1, path-style: true }
                    backups:
                      bucket: {{bucket}}
                      prefix: ${BENCH_PREFIX}
                      concurrency: 8
                      encryption: {{encryption}}
                      key-file: {{work / "bench.key"}}
                      sets:
                        data: { sources: ["{{data}}"] }
                    """);
            _s3cmdConfig = work / "s3cmd.cfg";
            File.WriteAllText(_s3cmdConfig, $"""
                [default]
                access_key = {S3Endpoint.S3rverDefaultKey}
                secret_key = {S3Endpoint.S3rverDefaultKey}
                host_base = 127.0.0.1:{Port}
                host_bucket = 127.0.0.1:{Port}
                use_https = False
                signature_v2 = False
                bucket_location = us-east-1
                """);
            _rcloneConfig = work / "rclone.conf";
            File.WriteAllText(_rcloneConfig, $"""
                [bench]
                type = s3
                provider = Other
                access_key_id = {S3Endpoint.S3rverDefaultKey}
                secret_access_key = {S3Endpoint.S3rverDefaultKey}
                endpoint = http://127.0.0.1:{Port}
                region = us-east-1
                force_path_style = true
                """);
        }

        private AbsolutePath RestoreDir(string way, int run) => _work / "restored" / $"{way}-{run}";

        public async Task<TimeSpan> TimeAsync(string way, string action, int run, CancellationToken ct)
        {
            var command = (way, action) switch
            {
                ("ours", "upload") => Ours("bench", run, "Backup"),
                ("ours", _) => Ours("bench", run, "Restore", "--restore-into", RestoreDir(way, run)),
                (Plain, "upload") => Ours("bench-plain", run, "Backup"),
                (Plain, _) => Ours("bench-plain", run, "Restore", "--restore-into", RestoreDir(way, run)),
                ("s3cmd", "upload") => Cli.Wrap("s3cmd")
                    .WithArguments(["-c", _s3cmdConfig, "--no-progress", "-q", "sync", $"{_data}/", $"s3://bench-s3cmd/run-{run}/"]),
                ("s3cmd", _) => Cli.Wrap("s3cmd")
                    .WithArguments([
                        "-c",
                        _s3cmdConfig,
                        "--no-progress",
                        "-q",
                        "sync",
                        $"s3://bench-s3cmd/run-{run}/",
                        $"{RestoreDir(way, run)}/",
                    ]),
                ("rclone", "upload") => Cli.Wrap("rclone")
                    .WithArguments(["--config", _rcloneConfig, "--fast-list", "sync", _data, $"bench:bench-rclone/run-{run}"]),
                _ => Cli.Wrap("rclone")
                    .WithArguments([
                        "--config",
                        _rcloneConfig,
                        "--fast-list",
                        "sync",
                        $"bench:bench-rclone/run-{run}",
                        RestoreDir(way, run),
                    ]),
            };
            if (action == "restore") RestoreDir(way, run).CreateDirectory();
            // rclone's AWS SDK cannot load the machine-wide AWS_CA_BUNDLE into its transport (and needs none for http).
            command = command.WithEnvironment("AWS_CA_BUNDLE", null);
            var m = await Measurement.TakeAsync(way, 1, c => Measurement.RunQuietAsync(command, c), ct);
            Log.Information($"  {way} {action} run {run}: {m.Median.TotalMilliseconds:0} ms");
            return m.Median;
        }

        private Command Ours(string environment, int run, params string[] arguments) =>
            SelfCommand.Wrap([.. arguments, "--environment", environment, "--no-logo"])
                .WithEnvironment("PIPELINE_ROOT", _work / "root").WithEnvironment("BENCH_PREFIX", $"run-{run}");

        public List<string> Notes { get; } = [];

        /// <summary>Every way restored the same files as the dataset has now (ours must; a peer's miss is noted).</summary>
        public void CheckRestored(int run)
        {
            var expected = BenchDataset.Fingerprint(_data);
            foreach (var way in AllWays)
            {
                var dir = way is "ours" or Plain
                    ? new AbsolutePath(Directory.GetDirectories(RestoreDir(way, run) / "data").Single())
                    : RestoreDir(way, run);
                if (BenchDataset.Fingerprint(dir) == expected) continue;
                if (way is "ours" or Plain) throw new PipelineException($"Our restore of run {run} differs from the dataset.");
                Notes.Add($"{way}'s restore of run {run} differs from the dataset.");
                Log.Warning(Notes[^1]);
            }
        }
    }
}
