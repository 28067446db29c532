using FluentAssertions;
using Pipeline.Clustering;
using Pipeline.Tools.Docker;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipeline.IntegrationTests.Clustering;

/// <summary>The real thing: <c>./build.sh ClusterTest</c> of this checkout as a child process, sent SIGTERM mid-run.</summary>
// Its ./build.sh ClusterTest runs Packages, which publishes apps/heartbeat: never at the same time as the packaging
// tests, which delete and rebuild that app's Release output.
[Collection(Pipeline.IntegrationTests.Packaging.PackagingCollection.Name)]
public sealed partial class ClusterTestSignalTests
{
    [Fact]
    public async Task SIGTERM_while_ClusterTest_waits_for_health_leaves_no_container_network_or_volume_of_the_project()
    {
        var root = ClusterFixture.ProjectRoot();
        // --retest: a stamp of an earlier pass would make it return at once
        var start = new ProcessStartInfo(Path.Combine(root, "build.sh"), ["ClusterTest", "--retest", "--no-logo"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var build = Process.Start(start)!;
        var output = new List<string>();
        var waiting = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (output) output.Add(line);
            if (Waiting().Match(line) is { Success: true } m) waiting.TrySetResult(m.Groups[1].Value);
        }
        build.OutputDataReceived += (_, e) => OnLine(e.Data);
        build.ErrorDataReceived += (_, e) => OnLine(e.Data);
        build.BeginOutputReadLine();
        build.BeginErrorReadLine();
        string project;
        try
        {
            // Images and Packages run first (up to date after the first bake; a fresh clone bakes once).
            project = await waiting.Task.WaitAsync(TimeSpan.FromMinutes(15));
        }
        catch (TimeoutException)
        {
            build.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("ClusterTest never waited for health:\n" + string.Join('\n', output.TakeLast(40)));
        }

        using var docker = new DockerClient();
        var filter = $"{ClusterProject.ProjectLabel}={project}";
        (await docker.ListContainersAsync([filter], CancellationToken.None))
            .Should()
            .NotBeEmpty("the cluster is up when it waits for health");
        Process.Start("kill", ["-TERM", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2))) await build.WaitForExitAsync(cts.Token);

        build.ExitCode.Should().NotBe(0, string.Join('\n', output.TakeLast(20)));
        output.Should().Contain(l => l.Contains($"Tore down {project}"));
        (await docker.ListContainersAsync([filter], CancellationToken.None)).Should().BeEmpty();
        (await docker.ListNetworksAsync([filter], CancellationToken.None)).Should().BeEmpty();
        (await docker.ListVolumesAsync([filter], CancellationToken.None)).Should().BeEmpty();
    }

    [GeneratedRegex(@"Waiting for every container of (\S+) to be healthy")]
    private static partial Regex Waiting();
}
