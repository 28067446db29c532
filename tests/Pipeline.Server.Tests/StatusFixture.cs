using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.Server.Tests;

/// <summary>
/// A repository root as the targets leave it after a Deploy of version 2.0.0 of the local environment's web group: the audit
/// records and a timeline (artifacts/deploy), the group's file_sd listing and journal, the freshness metrics of deploy,
/// certificates, backups and VerifyBackups (artifacts/metrics, in the build's textfile format), and the Dns step's records; and
/// the instances themselves, three HTTP servers on 127.0.0.1:25891–25893 answering the health path as the heartbeat app does.
/// </summary>
public sealed class StatusFixture : IAsyncDisposable
{
    public const string Version = "2.0.0";
    public const string Digest = "sha256:2f6a1f0b6c3d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a";
    public static readonly int[] Ports = [25891, 25892, 25893];

    private readonly List<WebApplication> _instances = [];

    public string Root { get; } = Directory.CreateTempSubdirectory("pipeline-status-").FullName;

    public static async Task<StatusFixture> StartAsync()
    {
        var fixture = new StatusFixture();
        fixture.WriteFiles(DateTimeOffset.UtcNow);
        foreach (var (port, slot) in Ports.Select((p, i) => (p, i + 1)))
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            app.MapGet("/heartbeat", () =>
                Results.Json(new { status = "heartbeat is alive", version = Version, instance = $"web-{slot}" }));
            await app.StartAsync();
            fixture._instances.Add(app);
        }
        return fixture;
    }

    private void WriteFiles(DateTimeOffset now)
    {
        Write("environments/local.yml", """
            backups:
              sets:
                acme: { sources: [{ path: .nuke/temp/acme }] }
                artifacts: { sources: [{ path: artifacts/deploy }] }
            certificates:
              sets:
                - names: [app.pipeline.example.com]
                - names: [www.pipeline.example.com, api.pipeline.example.com]
            groups:
              web:
                image: heartbeat
                count: 3
                health: { path: /heartbeat }
                outputs:
                  file_sd: artifacts/deploy/local-web.file_sd.json
            """);
        Write("environments/staging.yml", "groups: {}\n");
        var image = $"127.0.0.1:21500/pipeline/heartbeat@{Digest}";
        var first = now.AddHours(-5);
        var second = now.AddMinutes(-4);
        Write("artifacts/deploy/audit.jsonl", string.Join('\n', [
            Audit("d-100", first, 38.2, "succeeded", "127.0.0.1:21500/pipeline/heartbeat@sha256:1111"),
            Audit("d-101", now.AddHours(-2), 51.0, "rolled back", image),
            Audit("d-102", second, 44.7, "succeeded", image),
        ]) + "\n");
        Write("artifacts/deploy/local-web-d-102.timeline.html", "<h1>local/web deploy d-102: succeeded</h1>");
        Write("artifacts/deploy/local-web.file_sd.json", $$"""
            [{"targets": [{{string.Join(", ", Ports.Select(p => $"\"127.0.0.1:{p}\""))}}],
              "labels": {"env": "local", "group": "web", "job": "local-web"} }]
            """);
        Write(".nuke/temp/deploy/local/web.journal.jsonl", string.Join('\n', Enumerable.Range(1, 3).Select(slot =>
            $$"""{"deploy":"d-102","at":"{{second:O}}","step":"replace","instance":"web-{{slot}}","from":"old","to":"{{image}}" """ + "}"))
            + "\n");
        var at = (DateTimeOffset t) => (t.ToUnixTimeMilliseconds() / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Write("artifacts/metrics/deploy-local.prom", $$"""
            # TYPE pipeline_deploy_last_timestamp_seconds gauge
            pipeline_deploy_last_timestamp_seconds{env="local",group="web"} {{at(second.AddSeconds(44.7))}}
            pipeline_deploy_last_succeeded{env="local",group="web"} 1
            pipeline_deploy_last_rolled_back{env="local",group="web"} 0
            pipeline_deploy_rollbacks_total{env="local",group="web"} 1
            pipeline_deploy_info{env="local",group="web",image="{{image}}",deploy_id="d-102"} 1

            """);
        Write("artifacts/metrics/certificates-local.prom", $$"""
            pipeline_certificate_expiry_timestamp_seconds{env="local",cert="app.pipeline.example.com"} {{at(now.AddDays(80))}}
            pipeline_certificate_renewal_window_start_timestamp_seconds{env="local",cert="app.pipeline.example.com"} {{at(now.AddDays(50))}}
            pipeline_certificate_expiry_timestamp_seconds{env="local",cert="www.pipeline.example.com"} {{at(now.AddDays(20))}}
            pipeline_certificate_renewal_window_start_timestamp_seconds{env="local",cert="www.pipeline.example.com"} {{at(now.AddDays(-10))}}

            """);
        Write("artifacts/metrics/backup.prom", $$"""
            last_backup_timestamp_seconds{set="acme"} {{at(now.AddHours(-3))}}
            backup_bytes{set="acme"} 48213
            backup_files{set="acme"} 12
            last_backup_timestamp_seconds{set="artifacts"} {{at(now.AddHours(-30))}}
            backup_bytes{set="artifacts"} 7340032
            backup_files{set="artifacts"} 311

            """);
        Write("artifacts/metrics/backup-verify.prom", $$"""
            backup_last_verify_timestamp_seconds{set="acme"} {{at(now.AddHours(-1))}}
            backup_last_verify_ok{set="acme"} 1

            """);
        Write("artifacts/dns/local.records.json", """
            {"zone": "pipeline.example.com", "applied_at": "2026-12-06T06:00:00Z",
             "records": [{"name": "app.pipeline.example.com", "type": "A", "ttl": 60, "values": ["127.0.0.1"]}]}
            """);
        Directory.CreateDirectory(Path.Combine(Root, "locks"));
    }

    private static string Audit(string id, DateTimeOffset started, double seconds, string result, string image) =>
        $$"""{"deploy":"{{id}}","environment":"local","group":"web","user":"ops","host":"build-1","result":"{{result}}","message":"","changes":[{"kind":"replace","instance":"web-1","from":"old","to":"{{image}}"}],"started_at":"{{started:O}}","finished_at":"{{started.AddSeconds(seconds):O}}","seconds":{{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}} """ + "}";

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _instances) await app.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
