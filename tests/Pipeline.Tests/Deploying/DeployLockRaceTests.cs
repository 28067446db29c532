using FluentAssertions;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Locking;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Xunit;
using static Pipeline.Tests.Deploying.GroupPlanTests;

namespace Pipeline.Tests.Deploying;

/// <summary>The deploy lock under racing takers (a lock file in a local directory) and its fencing of the rolling engine.</summary>
public class DeployLockRaceTests
{
    private const int Racers = 8, Rounds = 20;

    private static string LockPath() =>
        Path.Combine(Directory.CreateTempSubdirectory("deploy-lock-race-").FullName, "test-lock.deploy.lock");

    [Fact]
    public async Task Eight_racing_deployers_on_a_lock_file_exactly_one_takes_it_every_round()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var path = LockPath();
            var winners = await RaceAsync(path, round);
            winners.Should().ContainSingle($"round {round}: one deployer holds the lock");
            LockHolder.FromJson(await new FileLockStore(path).ReadAsync(default))!.Nonce.Should().Be(winners[0].Holder.Nonce);
            await winners[0].DisposeAsync();
            File.Exists(path).Should().BeFalse("the winner released it");
        }
    }

    [Fact]
    public async Task Eight_racers_taking_over_a_stale_lock_file_exactly_one_wins_every_round()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var path = LockPath();
            var stale = LockHolder.Me("test-lock", "v0", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddHours(-1)) with
            {
                Host = "gone-host",
            };
            (await new FileLockStore(path).TryCreateAsync(stale.ToJson(), default)).Should().BeTrue();

            var winners = await RaceAsync(path, round);

            winners.Should().ContainSingle($"round {round}: one racer replaced the stale lock, the others then found it live");
            LockHolder.FromJson(await new FileLockStore(path).ReadAsync(default))!.Nonce.Should().Be(winners[0].Holder.Nonce);
            await winners[0].DisposeAsync();
        }
    }

    [Fact]
    public async Task A_lock_changed_since_it_was_read_is_neither_replaced_nor_removed()
    {
        var store = new FileLockStore(LockPath());
        (await store.TryCreateAsync("first", default)).Should().BeTrue();
        (await store.TryCreateAsync("second", default)).Should().BeFalse();
        (await store.TryReplaceAsync("first", "third", default)).Should().BeTrue();

        (await store.TryReplaceAsync("first", "fourth", default)).Should().BeFalse("the lock is no longer 'first'");
        (await store.TryDeleteAsync("first", default)).Should().BeFalse();
        (await store.ReadAsync(default)).Should().Be("third");
        (await store.TryDeleteAsync("third", default)).Should().BeTrue();
        (await store.ReadAsync(default)).Should().BeNull();
    }

    [Fact]
    public async Task A_deploy_whose_lock_was_taken_over_stops_before_its_next_batch_naming_the_new_holder()
    {
        var group = Group(6);
        var memory = new InMemoryGroup();
        memory.Seed(group, V1, group.Count);
        var store = new FileLockStore(LockPath());
        await using var held = await DeployLock.AcquireAsync(store, "local", "web=v2", TimeSpan.FromMinutes(1), TimeSpan.Zero, default);
        var engine = FencedEngine(group, memory, held);
        var other = LockHolder.Me("local", "web=v3", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow) with
        {
            User = "other-deployer",
            Host = "ci-runner-9",
        };
        memory.OnEvent = async e =>
        {
            if (e == "ready web-2")
                (await store.TryReplaceAsync((await store.ReadAsync(default))!, other.ToJson(), default)).Should().BeTrue();
        };

        var run = () => engine.RunAsync(V2, new RolloutOptions(), default);

        (await run.Should().ThrowAsync<DeployLockLostException>()).Which.Message.Should()
            .Contain("other-deployer@ci-runner-9").And.Contain(other.Nonce).And.Contain("stopped before the next batch");
        memory.Events.Should().NotContain(e => e.StartsWith("drain web-3", StringComparison.Ordinal), "the next batch never started");
        new[] { 1, 2 }.Select(memory.ImageOf).Should().AllBe(V2, "nothing is rolled back: the environment is the new holder's");
        Enumerable.Range(3, 4).Select(memory.ImageOf).Should().AllBe(V1);
        await held.DisposeAsync();
        LockHolder
            .FromJson(await store.ReadAsync(default))!
            .Nonce.Should()
            .Be(other.Nonce, "the stopped deploy leaves the new holder's lock alone");
    }

    [Fact]
    public async Task A_surge_deploy_whose_lock_was_removed_stops_before_its_next_batch()
    {
        var group = Group(4) with
        {
            Rolling = Group().Rolling with
            {
                MaxSurge = 2,
                Batch = new Pipeline.Deploying.Definitions.BatchSize(2, false),
                MinHealthyPercent = 100,
            },
        };
        var memory = new InMemoryGroup();
        memory.Seed(group, V1, group.Count);
        var store = new FileLockStore(LockPath());
        await using var held = await DeployLock.AcquireAsync(store, "local", "web=v2", TimeSpan.FromMinutes(1), TimeSpan.Zero, default);
        var engine = FencedEngine(group, memory, held);
        var batches = 0;
        memory.OnEvent = async e =>
        {
            if (e.StartsWith("remove ", StringComparison.Ordinal) && ++batches == 2)
                await DeployLock.ForceRemoveAsync(store, held.Holder.Nonce, default);
        };

        var run = () => engine.RunAsync(V2, new RolloutOptions(), default);

        (await run.Should().ThrowAsync<DeployLockLostException>())
            .Which.Message.Should()
            .Contain("removed")
            .And.Contain("stopped before the next batch");
        memory.Instances.Count(i => i.Image == V2).Should().Be(2, "only the first surge batch ran");
    }

    /// <summary>A rolling engine on the in-memory group that checks <paramref name="held"/> before each batch, as Deployment wires
    /// it.</summary>
    private static RollingEngine FencedEngine(GroupDefinition group, InMemoryGroup memory, DeployLock held) =>
        new(group, memory, memory, memory, new DeployJournal(Path.Combine(Path.GetTempPath(), $"deploy-journal-{Guid.NewGuid():N}.jsonl")))
        {
            BeforeBatch = held.EnsureHeldAsync,
        };

    /// <summary>Eight deployers, each with its own store object, start at once; returns the ones that hold the lock.</summary>
    private static async Task<List<DeployLock>> RaceAsync(string path, int round)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(1, Racers).Select(i => Task.Run(async () =>
        {
            var store = new FileLockStore(path);
            await start.Task;
            try
            {
                return await DeployLock.AcquireAsync(
                    store,
                    "test-lock",
                    $"web=round{round}-racer{i}",
                    TimeSpan.FromMinutes(1),
                    TimeSpan.Zero,
                    default
                );
            }
            catch (PipelineException e) when (e.Message.Contains("test-lock is locked", StringComparison.Ordinal))
            {
                return null;
            }
        })).ToList();
        start.SetResult();
        return (await Task.WhenAll(racers)).OfType<DeployLock>().ToList();
    }
}
