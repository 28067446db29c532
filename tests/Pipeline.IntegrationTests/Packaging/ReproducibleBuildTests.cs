using FluentAssertions;
using System.Diagnostics;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.IntegrationTests.Packaging;

[Collection(PackagingCollection.Name)]
public class ReproducibleBuildTests(PackagesFixture fixture)
{
    [RootFact]
    public async Task A_second_run_says_up_to_date_and_does_no_work()
    {
        var written = File.GetLastWriteTimeUtc(fixture.DebPath);
        var log = new CapturedLog();
        var clock = Stopwatch.StartNew();

        var outcomes = await log.RunAsync(() => fixture.Executor().RunAsync(CancellationToken.None));

        outcomes.Should().OnlyContain(o => o.UpToDate);
        log.Lines.Should()
            .Contain(
                $"heartbeat {fixture.Heartbeat.Version}: up to date "
                + $"(.nuke/temp/packaging-tests/artifacts/packages/{fixture.Heartbeat.FileName})"
            );
        log.Lines.Should().Contain("APT repository .nuke/temp/packaging-tests/artifacts/apt: up to date");
        log.Lines.Should().NotContain(line => line.Contains("publishing"));
        File.GetLastWriteTimeUtc(fixture.DebPath).Should().Be(written);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
    }

    [RootFact]
    public async Task A_clean_rebuild_gives_the_same_sha256_and_the_same_index()
    {
        foreach (var output in new[] { "bin/Release", "obj/Release" })
        {
            var path = Path.Combine(RepositoryRoot.Path, "apps", "heartbeat", output);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        var scratch = Path.Combine(RepositoryRoot.Cache, $"rebuild-{Guid.NewGuid():n}");
        try
        {
            var outcomes = await fixture
                .Executor(Path.Combine(scratch, "artifacts"), Path.Combine(scratch, "temp"))
                .RunAsync(CancellationToken.None);

            var rebuilt = outcomes.Single(o => o.Name == "heartbeat");
            rebuilt.UpToDate.Should().BeFalse("the scratch folders have no state, so the app was published again");
            rebuilt.Sha256.Should().Be(fixture.Heartbeat.Sha256);
            Sha256(Path.Combine(scratch, "artifacts", "packages", rebuilt.FileName)).Should().Be(Sha256(fixture.DebPath));
            File.ReadAllText(Path.Combine(scratch, "artifacts", "apt", "Release"))
                .Should().Be(File.ReadAllText(Path.Combine(fixture.RepositoryDirectory, "Release")));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
