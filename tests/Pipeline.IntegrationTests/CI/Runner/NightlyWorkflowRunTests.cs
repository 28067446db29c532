using FluentAssertions;
using Xunit;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// The committed nightly.yml run by the local runner on its schedule, each job on a fresh machine: every job passes, the
/// cluster test bakes nothing (the images come from the caches the pipeline's images job saved) and the backup jobs verify
/// and drill production's bucket (a real s3rver, reached by its public name over TLS). Run again with a production-backups
/// environment that holds no bucket keys, the backup jobs fail in one line naming them, and the report job posts the
/// failure to the (fake) Slack webhook with a link to the run.
/// </summary>
[Collection(WorkflowRunnerCollection.Name)]
public sealed class NightlyWorkflowRunTests(WorkflowRunnerFixture fixture)
{
    [Fact]
    public async Task The_nightly_cluster_test_runs_on_the_cached_images_without_baking()
    {
        var results = await fixture.NightlyAsync();

        var log = results["cluster-test"].Log;
        results["cluster-test"].Result.Should().Be("success", log);
        foreach (var image in new[] { "base", "haproxy", "heartbeat" })
            log.Should().MatchRegex($"Cache restored from key: image-{image}-[0-9a-f]{{64}}");
        log.Should().Contain("0 built, 3 up to date").And.NotContain(": baking ").And.Contain("Cluster test passed");
    }

    [Fact]
    public async Task Every_nightly_job_passes_and_the_backups_are_verified_and_drilled_through_the_public_endpoint_name()
    {
        var results = await fixture.NightlyAsync();

        foreach (var job in new[] { "cluster-test", "verify-backups", "restore-drill" })
            results[job].Result.Should().Be("success", results[job].Log);
        results["report"].Result.Should().Be("skipped");
        results["verify-backups"].Log.Should().Contain("pipeline-production-backups/production: 2 snapshots")
            .And.Contain(" re-hashed, 0 problems.");
        foreach (var set in new[] { "acme", "metrics" })
            results["restore-drill"].Log.Should().MatchRegex($@"{set}: drill passed: snapshot \S+ \([0-9,]+ bytes\) restored and verified");
    }

    [Fact]
    public async Task A_backup_job_not_given_the_bucket_keys_fails_in_one_line_naming_them()
    {
        var results = await fixture.NightlyWithoutBucketKeysAsync();

        foreach (var job in new[] { "verify-backups", "restore-drill" })
        {
            var log = results[job].Log;
            results[job].Result.Should().Be("failure", log);
            log.Split('\n').Should().ContainSingle(l => l.StartsWith("::error::"), log)
                .Which.Should().Contain("https://s3.eu-west-1.amazonaws.com").And.Contain("S3_ACCESS_KEY and S3_SECRET_KEY");
        }
    }

    [Fact]
    public async Task A_failed_night_is_posted_to_Slack_with_a_link_to_the_run()
    {
        var results = await fixture.NightlyWithoutBucketKeysAsync();

        results["report"].Result.Should().Be("success", results["report"].Log);
        fixture.Slack.Messages.Should().ContainSingle(m => m.Contains("Nightly failed"))
            .Which.Should().Contain("cluster test: success, backups: failure, restore drill: failure")
            .And.MatchRegex(@"https://github\.com/acme/pipeline/actions/runs/\d+");
    }
}
