using CliWrap;
using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Dns;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Pipeline.Benchmarks;

/// <summary>
/// Blue/green by DNS: v1 on blue (127.0.0.2), v2 on green (127.0.0.3), web.bench.test in a BIND 9 on 127.0.0.1:25432 while a
/// loopback load resolves the name through BIND before every request. Each run switches with Pipeline (Deploy --rollback:
/// plan, one signed update, wait until every NS answers) and twice with BIND's own nsupdate (the raw update); reports the time
/// from each switch to the first answer of the new colour, and the failed requests. Ports 25430–25432; pipeline.deploy=bench-dns.
/// </summary>
public sealed class DnsScenario : IBenchmarkScenario
{
    private const int Port = 25430, BindPort = 25432;
    private const string Zone = "bench.test", RecordName = "web.bench.test", Environment = "bench-dns";
    public static Tool Nsupdate { get; } = Tool.Apt("nsupdate", "bind9-dnsutils");
    public string Name => "dns";
    public bool UsesDocker => true;

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        using var docker = new DockerClient();
        var directory = context.Build.TemporaryDirectory / "bench-dns";
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        var services = new LocalServiceManager(directory / "services");
        var key = new TsigKey("bench", "hmac-sha256", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Secrets.Register(key.Secret);
        var tag = System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var v1 = await HeartbeatStandIn.BuildAsync(docker, "pipeline-bench-dns/heartbeat", $"v1-{tag}", "v1", true, ct);
        var v2 = await HeartbeatStandIn.BuildAsync(docker, "pipeline-bench-dns/heartbeat", $"v2-{tag}", "v2", true, ct);
        try
        {
            await services.StartAsync(BindService.Spec(directory / "named", new BindZones(BindPort, [Zone], key)), ct);
            var records = new TimedRecordSwitch(Switch(key));
            var group = BlueGreenGroup(Environment, Port);
            BlueGreenRollout Rollout() => new(group, g => new DockerProvider(docker, g), records,
                new DeployJournal(directory / "journal.jsonl"), directory / "colours.json", (_, _) => Task.CompletedTask);
            await Expect(Rollout().DeployAsync(v1, new(), ct));
            await Expect(Rollout().DeployAsync(v2, new(), ct));
            var keyFile = directory / "bench.key";
            await File.WriteAllTextAsync(keyFile, $"key \"{key.Name}\" {{ algorithm {key.Algorithm}; secret \"{key.Secret}\"; }};\n", ct);

            List<TimeSpan> pipeline = [], served = [], peer = [];
            var server = new DnsServer("127.0.0.1", BindPort);
            await using var load = new DnsLoad(server, RecordName, Port);
            var window = Stopwatch.StartNew();
            var live = "v2";
            for (var run = 0; run < context.Runs; run++)
            {
                var next = live == "v1" ? "v2" : "v1";
                var outcome = await Expect(Rollout().DeployAsync(v2, new(Rollback: true), ct));
                pipeline.Add(await FirstAsync(load, next, records.LastStarted, ct));
                served.Add(records.LastDuration);
                Log.Information($"dns: run {run + 1}: {outcome.Message}");
                foreach (var (version, address) in new[] { (live, Address(live)), (next, Address(next)) })
                {
                    var mark = Stopwatch.GetTimestamp();
                    await NsupdateAsync(keyFile, address, ct);
                    peer.Add(await FirstAsync(load, version, mark, ct));
                }
                live = next;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var rate = load.Succeeded / window.Elapsed.TotalSeconds;
            return Render(new("Pipeline: Deploy --rollback", pipeline), new("served", served), new("nsupdate", peer), load, rate);
        }
        finally
        {
            var label = $"{DockerProvider.EnvironmentLabel}={Environment}";
            foreach (var c in await docker.ListContainersAsync([label], CancellationToken.None))
                await docker.RemoveContainerAsync(c.Id, CancellationToken.None);
            await services.StopAllAsync(CancellationToken.None);
            await docker.RemoveImageAsync(v1, true, CancellationToken.None);
            await docker.RemoveImageAsync(v2, true, CancellationToken.None);
        }
    }

    private static string Address(string version) => version == "v1" ? "127.0.0.2" : "127.0.0.3";

    private static async Task<DeployOutcome> Expect(Task<DeployOutcome> deploy) =>
        await deploy is { Succeeded: true } outcome ? outcome : throw new PipelineException($"dns benchmark: {(await deploy).Message}");

    private static async Task<TimeSpan> FirstAsync(DnsLoad load, string version, long mark, CancellationToken ct) =>
        await load.WaitFirstAnswerAsync(version, mark, TimeSpan.FromSeconds(10), ct)
            ?? throw new PipelineException($"dns benchmark: no answer from {version} within 10 s of the switch");

    private static Task NsupdateAsync(string keyFile, string address, CancellationToken ct) =>
        Measurement.RunQuietAsync(Cli.Wrap("nsupdate").WithArguments(["-k", keyFile]).WithStandardInputPipe(PipeSource.FromString(
            $"server 127.0.0.1 {BindPort}\nzone {Zone}\nupdate delete {RecordName} A\nupdate add {RecordName} 5 A {address}\nsend\n")), ct);

    private static DnsRecordSwitch Switch(TsigKey key)
    {
        var provider = new Rfc2136ProviderDefinition("bind", new DnsServer("127.0.0.1", BindPort), key.Name, key.Algorithm);
        var dns = new DnsDefinition(Zone, 5, Environment, provider, new Dictionary<string, DnsProviderDefinition> { ["bind"] = provider },
            [new DnsGroupRecords("web", "web", null, null, false)]);
        return new DnsRecordSwitch(dns, new Rfc2136Provider(Zone, provider, key.Secret));
    }

    /// <summary>The stand-in app as a blue/green group of two on the local Docker engine, blue on 127.0.0.2 and green on
    /// 127.0.0.3 (the blue/green integration tests use it too).</summary>
    public static GroupDefinition BlueGreenGroup(string environment, int port) =>
        new(environment, "web", ProviderKind.Docker, "heartbeat", 2, new PortsDefinition(8080, port),
            new Dictionary<string, string>(), new Dictionary<string, string>(),
            new HealthCheckDefinition("/heartbeat", null, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), 2, 3,
                TimeSpan.FromSeconds(20)),
            RollingPolicy.Default with { StopTimeout = TimeSpan.FromSeconds(5) }, null, new OutputsDefinition(null, null))
        {
            Docker = new DockerHostDefinition("unix:///var/run/docker.sock"),
            BlueGreen = new BlueGreenDefinition(TimeSpan.FromMinutes(30), "127.0.0.2", "127.0.0.3"),
        };

    private static string Render(Measurement pipeline, Measurement served, Measurement peer, DnsLoad load, double rate)
    {
        static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0} ms";
        static string Row(Measurement m) =>
            $"| {m.Name} | {Ms(m.Median)} | {Ms(m.Samples.Min())} | {Ms(m.Samples.Max())} | {m.Samples.Count} |";
        return string.Join('\n',
            "# DNS: blue/green switch, time to the new colour's first answer",
            "",
            "web.bench.test in BIND 9 on 127.0.0.1 (TTL 5 s) points at blue (v1, 127.0.0.2) or green (v2, 127.0.0.3), each 2 "
            + "busybox stand-ins started by Deploy. Four loopback clients resolve the name through BIND before every request "
            + "(no cache: what a TTL-respecting client sees once its TTL ran out; one that cached adds up to the TTL). Pipeline's "
            + "switch is `Deploy --rollback` of a blue_green: dns group (plan with ownership check, one TSIG-signed RFC 2136 update, "
            + "wait until every NS answers); the peer is BIND's nsupdate sending the bare update.",
            "",
            "| way | median: switch → first answer of the new colour | min | max | switches |",
            "| --- | ---: | ---: | ---: | ---: |",
            Row(pipeline),
            Row(peer),
            "",
            $"Pipeline's switch until every authoritative server answered it: median {Ms(served.Median)}.",
            "",
            $"Requests during the switches: {load.Succeeded} answered, **{load.Failed} failed**"
            + (load.Failed == 0 ? " (goal met: no request lost)." : $" ({string.Join("; ", load.Failures)}).")
            + $" The load answered about {rate:0} requests/s, so a time to the first answer is precise to about {1000 / rate:0} ms.",
            "",
            $"Machine: {System.Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; "
            + $"measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, both ways in the same run, under the same load.",
            "");
    }
}
