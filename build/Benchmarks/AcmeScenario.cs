using CliWrap;
using Pipeline.Acme;
using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Process;

namespace Pipeline.Benchmarks;

/// <summary>
/// Issuance of one certificate from scratch (new account, order, HTTP-01, finalize, chain) against the same
/// Pebble (127.0.0.1:22200, default nonce rejection): Pipeline's in-process ACME client (the Certificates step's
/// work) beside <c>certbot certonly --standalone</c>, each run with a fresh state/config directory.
/// </summary>
public sealed class AcmeScenario : IBenchmarkScenario
{
    public const double Goal = 0.5;
    private static readonly PebblePorts Ports = new(22200, 22201, 22202, 22203, 22253, 22255);
    public string Name => "acme";

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var runs = Math.Max(5, context.Runs);
        var work = context.Build.TemporaryDirectory / "bench-acme";
        var services = new LocalServiceManager(context.Build.TemporaryDirectory / "services");
        var started = new List<string>();
        try
        {
            if (await services.StartAsync(PebbleServices.ChallTestSrv(Ports, "bench-challtestsrv"), ct)) started.Add("bench-challtestsrv");
            if (await services.StartAsync(PebbleServices.Pebble(work / "pebble", Ports, "bench-pebble"), ct)) started.Add("bench-pebble");
            var trust = PebbleServices.TrustFile(work / "pebble");

            var ours = await Measurement.TakeAsync(
                "Pipeline ACME client (in-process, fresh account and state)",
                runs + 1,
                c => OursAsync(work, trust, c),
                ct
            );
            var peer = await Measurement.TakeAsync(
                "`certbot certonly --standalone` (fresh config dir)",
                runs + 1,
                c => CertbotAsync(work, trust, c),
                ct
            );
            // The first sample of each warms caches (JIT, Python bytecode); medians over the rest.
            ours = ours with { Samples = ours.Samples.Skip(1).ToList() };
            peer = peer with { Samples = peer.Samples.Skip(1).ToList() };
            Log.Information($"acme: {BenchmarkReport.Ratio(ours, peer):0.000} × certbot's issuance time (goal ≤ {Goal})");
            return BenchmarkReport.Render(
                "ACME issuance: one certificate from scratch against Pebble",
                "Both ways register a new account, order one name, answer HTTP-01 on 127.0.0.1:22202 with their own responder, finalize "
                + "and download the chain, "
                    + "against the same Pebble (PEBBLE_VA_NOSLEEP=1, default 5% nonce rejection), trusting Pebble's TLS CA explicitly "
                        + "(certbot through REQUESTS_CA_BUNDLE). "
                    + "Ours is timed in-process (the Certificates step's work; the build's own start-up is the startup scenario's "
                        + "subject), certbot as a process; the first sample of each is a warm-up.",
                ours,
                peer,
                Goal
            );
        }
        finally
        {
            foreach (var name in started) await services.StopAsync(name, CancellationToken.None);
        }
    }

    private static async Task OursAsync(AbsolutePath work, string trust, CancellationToken ct)
    {
        var root = work / "ours" / Guid.NewGuid().ToString("N");
        var yaml =
            $"certificates:\n  directory: {Ports.DirectoryUrl}\n  trust: {trust}\n  challenge: {{ type: http-01, http-port: "
            + $"{Ports.Http01} }}\n  sets:\n    - names: [bench.example.com]\n";
        var definition = CertificatesDefinitionLoader.Load(DefinitionFile.Parse(yaml, "bench.yml", _ => null), "bench");
        var result = await new CertificateSteps(definition, AcmeLayout.Of(root, root / ".nuke" / "temp", "bench")).IssueAsync(false, ct);
        if (result.OrdersCreated != 1) throw new PipelineException($"acme benchmark: expected 1 order, saw {result.OrdersCreated}.");
    }

    private static Task CertbotAsync(AbsolutePath work, string trust, CancellationToken ct)
    {
        var dir = work / "certbot" / Guid.NewGuid().ToString("N");
        return Measurement.RunQuietAsync(Cli.Wrap("certbot").WithArguments([
            "certonly", "--standalone", "--non-interactive", "--agree-tos", "--register-unsafely-without-email",
            "--server", Ports.DirectoryUrl.AbsoluteUri, "--http-01-port", $"{Ports.Http01}", "--http-01-address", "127.0.0.1",
            "--key-type", "ecdsa", "-d", "bench.example.com",
            "--config-dir", dir / "config", "--work-dir", dir / "work", "--logs-dir", dir / "logs"])
            .WithEnvironment("REQUESTS_CA_BUNDLE", trust), ct);
    }
}
