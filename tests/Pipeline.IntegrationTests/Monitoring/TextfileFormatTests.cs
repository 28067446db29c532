using CliWrap;
using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Backups;
using Pipeline.Monitoring;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.Monitoring;

/// <summary>The steps' textfiles as Prometheus' own linter reads them: <c>promtool check metrics</c> on each file.</summary>
public sealed class TextfileFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-textfiles-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Every_steps_textfile_passes_promtool_check_metrics()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var backup = new BackupResult("acme", "id", false, 3, 300, 1, 100, 1, TimeSpan.FromSeconds(2));
        BackupMetrics.Write(Path.Combine(_dir, "backup.prom"), [backup], now);
        var drill = new DrillResult("acme", "id", 300, TimeSpan.FromSeconds(3), null);
        DrillMetrics.Write(Path.Combine(_dir, "restore-drill.prom"), [drill], now);
        DeployMetrics.LockTaken(_dir, "test", now);
        StepMetrics.ClusterTestPassed(_dir, now);
        StepMetrics.Published(_dir, "test", ["local", "ghcr"], now);
        var state = AcmeState.Empty.With(new CertificateState(["a.example.com"], KeyType.EcP256, "https://ca.example/dir", "C", "K",
            now, now.AddDays(90), now));
        var definition = CertificatesDefinitionLoader.Load(Pipeline.Definitions.DefinitionFile.Parse(
            "certificates: { directory: https://ca.example/dir, sets: [{ names: [a.example.com] }] }",
            "environments/test.yml",
            _ => null), "test");
        CertificateMetrics.Write(_dir, "test", definition, state);

        var files = Directory.GetFiles(_dir, "*.prom");
        files.Should().HaveCount(6);
        foreach (var file in files)
        {
            var result = await Cli.Wrap(MonitoringTools.Promtool.Command).WithArguments(["check", "metrics"])
                .WithStandardInputPipe(PipeSource.FromFile(file)).WithValidation(CommandResultValidation.None)
                .RunBufferedAsync(TimeSpan.FromMinutes(1));
            result.ExitCode.Should().Be(0,
                $"promtool check metrics refused {Path.GetFileName(file)}:\n{result.StandardOutput}{result.StandardError}");
        }
    }
}
