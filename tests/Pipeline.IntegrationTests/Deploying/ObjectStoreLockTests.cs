using FluentAssertions;
using Pipeline.Deploying.Locking;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// The cloud groups' deploy lock as an S3 object against a real s3rver, which ignores conditional writes
/// (<see cref="S3rverConditionalWriteTests"/>): the claim turns alone must keep racing deployers apart.
/// </summary>
[Collection(LockS3rverCollection.Name)]
public sealed class ObjectStoreLockTests(LockS3rver s3)
{
    private const int Racers = 8, Rounds = 20;

    private ObjectStoreLockStore Store(string key) => new(s3.Store(), key, $"s3://{LockS3rver.Bucket}");

    [Fact]
    public async Task A_second_deployer_is_refused_by_the_s3_lock_naming_the_holder()
    {
        var store = Store($"locks/{Guid.NewGuid():N}.deploy.lock");
        await using (
            var held = await DeployLock.AcquireAsync(
                store,
                "test-s3",
                "api=heartbeat@sha256:cd34",
                TimeSpan.FromMinutes(1),
                TimeSpan.Zero,
                CancellationToken.None
            )
        )
        {
            var second = () =>
                DeployLock.AcquireAsync(
                    store,
                    "test-s3",
                    "api=heartbeat@sha256:ef56",
                    TimeSpan.FromMinutes(1),
                    TimeSpan.Zero,
                    CancellationToken.None
                );
            (await second.Should().ThrowAsync<PipelineException>())
                .Which.Message.Should()
                .Contain("test-s3 is locked: being deployed by")
                .And.Contain($"(pid {Environment.ProcessId})")
                .And.Contain("api=heartbeat@sha256:cd34");
            LockHolder
                .FromJson(await store.ReadAsync(CancellationToken.None))!
                .Nonce.Should()
                .Be(held.Holder.Nonce, "other jobs read the holder from the object");
        }
        (await store.ReadAsync(CancellationToken.None)).Should().BeNull("the lock object is deleted when the deploy ends");
    }

    [Fact]
    public async Task Eight_racing_deployers_on_s3rver_exactly_one_takes_the_lock_every_round()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var key = $"locks/race-{round}-{Guid.NewGuid():N}.deploy.lock";
            var winners = await RaceAsync(key, round);
            winners.Should().ContainSingle($"round {round}: one deployer holds the lock");
            LockHolder
                .FromJson(await Store(key).ReadAsync(default))!
                .Nonce.Should()
                .Be(winners[0].Holder.Nonce, $"round {round}: the object names the winner");
            await winners[0].DisposeAsync();
        }
    }

    [Fact]
    public async Task Eight_racers_taking_over_a_stale_s3_lock_exactly_one_wins_every_round()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var key = $"locks/stale-{round}-{Guid.NewGuid():N}.deploy.lock";
            var stale = LockHolder.Me("test-s3", "v0", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddHours(-1)) with
            {
                Host = "gone-host",
            };
            (await Store(key).TryCreateAsync(stale.ToJson(), default)).Should().BeTrue();

            var winners = await RaceAsync(key, round);

            winners.Should().ContainSingle($"round {round}: one racer replaced the stale lock, the others then found it live");
            LockHolder.FromJson(await Store(key).ReadAsync(default))!.Nonce.Should().Be(winners[0].Holder.Nonce);
            await winners[0].DisposeAsync();
        }
    }

    [Fact]
    public async Task A_deploy_whose_s3_lock_was_taken_over_is_stopped_naming_the_new_holder()
    {
        var key = $"locks/{Guid.NewGuid():N}.deploy.lock";
        var store = Store(key);
        await using var held = await DeployLock.AcquireAsync(store, "test-s3", "api=v1", TimeSpan.FromMinutes(1), TimeSpan.Zero, default);
        var other = LockHolder.Me("test-s3", "api=v2", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow) with
        {
            User = "other-deployer",
            Host = "ci-runner-9",
        };
        (await Store(key).TryReplaceAsync((await store.ReadAsync(default))!, other.ToJson(), default))
            .Should().BeTrue("another deployer took it over (as if this one had looked stale)");

        var fenced = () => held.EnsureHeldAsync(default);

        (await fenced.Should().ThrowAsync<DeployLockLostException>()).Which.Message.Should()
            .Contain("other-deployer@ci-runner-9").And.Contain(other.Nonce).And.Contain("stopped before the next batch");
        await held.DisposeAsync();
        LockHolder
            .FromJson(await store.ReadAsync(default))!
            .Nonce.Should()
            .Be(other.Nonce, "the ended deploy leaves the new holder's lock alone");
    }

    /// <summary>Eight deployers, each with its own store client, start at once; returns the ones that hold the lock.</summary>
    private async Task<List<DeployLock>> RaceAsync(string key, int round)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(1, Racers).Select(i => Task.Run(async () =>
        {
            var store = Store(key);
            await start.Task;
            try
            {
                return await DeployLock.AcquireAsync(
                    store,
                    "test-s3",
                    $"api=round{round}-racer{i}",
                    TimeSpan.FromMinutes(1),
                    TimeSpan.Zero,
                    default
                );
            }
            catch (PipelineException e) when (e.Message.Contains("test-s3 is locked", StringComparison.Ordinal))
            {
                return null;
            }
        })).ToList();
        start.SetResult();
        return (await Task.WhenAll(racers)).OfType<DeployLock>().ToList();
    }
}
