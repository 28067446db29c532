using FluentAssertions;
using Pipeline.Backups;
using System.Diagnostics;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>A backup stopped at any point leaves the repository with its previous snapshots intact and restorable.</summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InterruptedBackupTests(S3rverFixture s3)
{
    [Fact]
    public async Task Backups_cancelled_mid_upload_at_different_points_leave_the_previous_snapshot_restorable_and_verified()
    {
        using var world = new BackupWorld(s3, "cancelled");
        for (var i = 0; i < 40; i++) world.Write($"v1/{i % 4}/{i}.dat", 8_000, i);
        var first = await world.BackupAsync();
        var v1 = TreeComparison.Describe(world.Source);
        for (var i = 0; i < 300; i++) world.Write($"v2/{i % 7}/{i}.dat", 30_000, 1000 + i);
        world.Write("v2/large.bin", 20 << 20, 77);

        var interrupted = 0;
        foreach (var delay in new[] { 5, 40, 120, 250, 400, 700 })
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(delay));
            try { await world.BackupAsync(cts.Token); }
            catch (OperationCanceledException) { interrupted++; }

            var latest = await world.LatestAsync();
            if (latest.Id != first.SnapshotId) break; // this one finished: nothing earlier to protect any more
            var into = Path.Combine(world.Root, $"restored-{delay}");
            await world.RestoreAsync(latest, into);
            TreeComparison
                .Describe(into)
                .Should()
                .Equal(v1, $"the backup cancelled after {delay} ms must leave snapshot {first.SnapshotId} intact");
        }

        interrupted.Should().BeGreaterThanOrEqualTo(3);
        // An interrupted upload may leave a truncated object on a store whose PUT is not atomic (s3rver): the next
        // backup must send it again rather than trust it, so that every snapshot verifies.
        var completed = await world.BackupAsync();
        completed.SnapshotId.Should().NotBe(first.SnapshotId);
        var latestAfter = await world.LatestAsync();
        var intoLatest = Path.Combine(world.Root, "restored-latest");
        await world.RestoreAsync(latestAfter, intoLatest);
        TreeComparison.Describe(intoLatest).Should().Equal(TreeComparison.Describe(world.Source));
        (await new Verifier(world.Store).RunAsync([world.Set], default)).Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_Backup_build_killed_with_SIGKILL_at_different_points_leaves_the_previous_snapshot_restorable()
    {
        using var world = new BackupWorld(s3, "killed");
        for (var i = 0; i < 20; i++) world.Write($"v1/{i}.dat", 8_000, i);
        var root = Path.Combine(world.Root, "repo");
        Directory.CreateDirectory(Path.Combine(root, "environments"));
        await File.WriteAllTextAsync(Path.Combine(root, "environments", "it.yml"), $"""
            s3: {"{"} endpoint: "{s3.Endpoint.ServiceUrl}", region: us-east-1, path-style: true {"}"}
            backups:
              bucket: {S3rverFixture.Bucket}
              prefix: {world.Set.Prefix}
              encryption: none # the order of writes is the same sealed; read here with the plain store
              sets:
                data: {"{"} sources: ["{world.Source}"] {"}"}
            """);
        var first = await RunBuildAsync(root, killAfter: null);
        first.Should().Be(0);
        var firstSnapshot = await world.LatestAsync();
        var v1 = TreeComparison.Describe(world.Source);
        for (var i = 0; i < 400; i++) world.Write($"v2/{i % 9}/{i}.dat", 40_000, 500 + i);
        world.Write("v2/large.bin", 40 << 20, 78);

        var killed = 0;
        foreach (var after in new[] { 700, 1200, 1800, 2600 })
        {
            if (await RunBuildAsync(root, killAfter: TimeSpan.FromMilliseconds(after)) is null) killed++;
            var latest = await world.LatestAsync();
            if (latest.Id != firstSnapshot.Id) break;
            var into = Path.Combine(world.Root, $"restored-{after}");
            await world.RestoreAsync(latest, into);
            TreeComparison.Describe(into).Should().Equal(v1);
        }

        killed.Should().BeGreaterThanOrEqualTo(1);
        (await new Verifier(world.Store).RunAsync([world.Set], default)).Problems.Should().BeEmpty();
    }

    /// <summary>Runs the compiled build (as ./build.sh would) with the repository root of the test; null when killed.</summary>
    private static async Task<int?> RunBuildAsync(string root, TimeSpan? killAfter)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "_build.dll"), "Backup", "--environment", "it", "--no-logo" })
            start.ArgumentList.Add(a);
        start.Environment["PIPELINE_ROOT"] = root;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (killAfter is { } delay)
        {
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(delay)) != exited)
            {
                process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no marker removal
                await process.WaitForExitAsync();
                return null;
            }
        }
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0) throw new Xunit.Sdk.XunitException($"Backup exited {process.ExitCode}:\n{await output}\n{await errors}");
        return process.ExitCode;
    }
}
