using FluentAssertions;
using Pipeline.Deploying.Locking;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Deploying;

public class DeployLockTests
{
    private static FileLockStore Store() =>
        new(Path.Combine(Directory.CreateTempSubdirectory("deploy-lock-").FullName, "test-lock.deploy.lock"));

    [Fact]
    public async Task A_second_deploy_is_refused_naming_the_holder()
    {
        var store = Store();
        await using var first = await DeployLock.AcquireAsync(
            store,
            "test-lock",
            "heartbeat@sha256:1",
            TimeSpan.FromMinutes(1),
            TimeSpan.Zero,
            CancellationToken.None
        );

        var second = () =>
            DeployLock.AcquireAsync(
                store,
                "test-lock",
                "heartbeat@sha256:2",
                TimeSpan.FromMinutes(1),
                TimeSpan.Zero,
                CancellationToken.None
            );

        (await second.Should().ThrowAsync<PipelineException>())
            .Which.Message.Should()
            .Contain(
                $"test-lock is locked: being deployed by {Environment.UserName}@{Environment.MachineName} (pid {Environment.ProcessId})"
            )
            .And.Contain("heartbeat@sha256:1")
            .And.Contain(first.Holder.Nonce);
    }

    [Fact]
    public async Task A_lock_whose_ttl_passed_is_taken_over()
    {
        var store = Store();
        var old = LockHolder.Me("test-lock", "v1", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddHours(-1)) with { Pid = 1 };
        (await store.TryCreateAsync(old.ToJson(), CancellationToken.None)).Should().BeTrue();

        await using var taken = await DeployLock.AcquireAsync(
            store,
            "test-lock",
            "v2",
            TimeSpan.FromMinutes(1),
            TimeSpan.Zero,
            CancellationToken.None
        );

        LockHolder.FromJson(await store.ReadAsync(CancellationToken.None))!.Version.Should().Be("v2");
    }

    [Fact]
    public async Task A_lock_of_a_dead_process_on_this_host_is_stale()
    {
        var holder = LockHolder.Me("test-lock", "v1", TimeSpan.FromMinutes(10), DateTimeOffset.UtcNow) with { Pid = 999_999 };
        holder.StaleReason(DateTimeOffset.UtcNow).Should().Contain("process 999999").And.Contain("gone");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Unlock_force_needs_the_holders_nonce_and_the_lock_is_released_after_the_deploy()
    {
        var store = Store();
        var held = await DeployLock.AcquireAsync(store, "test-lock", "v1", TimeSpan.FromMinutes(1), TimeSpan.Zero, CancellationToken.None);
        await FluentActions
            .Awaiting(() => DeployLock.ForceRemoveAsync(store, "wrong", CancellationToken.None))
            .Should()
            .ThrowAsync<PipelineException>()
            .WithMessage("*not wrong*");
        (await DeployLock.ForceRemoveAsync(store, held.Holder.Nonce, CancellationToken.None)).Version.Should().Be("v1");
        await held.DisposeAsync();
        (await store.ReadAsync(CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task A_renewal_that_landed_though_its_answer_was_lost_is_still_released_at_the_end()
    {
        var store = new AnswerLostOnReplace(Store());
        var held = await DeployLock.AcquireAsync(store, "test-lock", "v1", TimeSpan.FromMinutes(1), TimeSpan.Zero, CancellationToken.None);
        await FluentActions.Awaiting(() => held.EnsureHeldAsync(CancellationToken.None)).Should().ThrowAsync<OperationCanceledException>();
        LockHolder
            .FromJson(await store.ReadAsync(CancellationToken.None))!
            .ExpiresAt.Should()
            .BeAfter(held.Holder.ExpiresAt, "the renewal landed");

        await held.DisposeAsync();

        (await store.ReadAsync(CancellationToken.None)).Should().BeNull();
    }

    /// <summary>A store whose replace is applied, but whose caller never hears so (a renewal cancelled after it was sent).</summary>
    private sealed class AnswerLostOnReplace(ILockStore inner) : ILockStore
    {
        public string Location => inner.Location;
        public Task<bool> TryCreateAsync(string content, CancellationToken ct) => inner.TryCreateAsync(content, ct);
        public Task<string?> ReadAsync(CancellationToken ct) => inner.ReadAsync(ct);
        public Task<bool> TryDeleteAsync(string expected, CancellationToken ct) => inner.TryDeleteAsync(expected, ct);

        public async Task<bool> TryReplaceAsync(string expected, string content, CancellationToken ct)
        {
            await inner.TryReplaceAsync(expected, content, ct);
            throw new OperationCanceledException("cancelled after the replace was sent");
        }
    }
}
