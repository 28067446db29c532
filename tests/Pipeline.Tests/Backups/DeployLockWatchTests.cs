using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Deploying.Locking;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Backups;

public class DeployLockWatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);

    private static LockHolder Holder(DateTimeOffset expires) =>
        new("local", "deployer", "ci-runner-7", 4242, "991", "web=sha256:abc", Now.AddMinutes(-1), expires, "n0nce");

    [Fact]
    public async Task A_free_lock_has_no_holder()
    {
        (await new DeployLockWatch(new MemoryLockStore(), () => Now).HolderAsync(default)).Should().BeNull();
    }

    [Fact]
    public async Task A_live_lock_names_its_holder_location_and_nonce()
    {
        var store = new MemoryLockStore { Content = Holder(Now.AddMinutes(1)).ToJson() };

        var holder = await new DeployLockWatch(store, () => Now).HolderAsync(default);

        holder.Should().Contain("deployer@ci-runner-7 (pid 4242, CI run 991)").And.Contain("memory:local.deploy.lock").And.Contain("n0nce");
    }

    [Fact]
    public async Task An_expired_or_unreadable_lock_counts_as_free_and_is_left_in_place()
    {
        var store = new MemoryLockStore { Content = Holder(Now.AddSeconds(-1)).ToJson() };
        (await new DeployLockWatch(store, () => Now).HolderAsync(default)).Should().BeNull();
        store.Content.Should().NotBeNull("Backup never removes Deploy's lock");

        store.Content = "{ not json";
        (await new DeployLockWatch(store, () => Now).HolderAsync(default)).Should().BeNull();
    }

    [Fact]
    public async Task Waiting_returns_once_the_deploy_releases_the_lock()
    {
        var store = new MemoryLockStore { Content = Holder(DateTimeOffset.UtcNow.AddMinutes(5)).ToJson(), ReleaseAfterReads = 3 };

        await DeployLockWaiting.WaitAsync(new DeployLockWatch(store), TimeSpan.FromMinutes(1), default, poll: TimeSpan.FromMilliseconds(1));

        store.Reads.Should().Be(4);
    }

    [Fact]
    public async Task Waiting_gives_up_after_the_limit_with_one_line_naming_the_holder()
    {
        var store = new MemoryLockStore { Content = Holder(DateTimeOffset.UtcNow.AddMinutes(5)).ToJson() };

        var wait = () =>
            DeployLockWaiting.WaitAsync(new DeployLockWatch(store), TimeSpan.Zero, default, poll: TimeSpan.FromMilliseconds(1));

        (await wait.Should().ThrowAsync<PipelineException>()).Which.Message.Should()
            .StartWith("Backup waited 0s for the deploy lock, still held by deployer@ci-runner-7").And.NotContain("\n");
    }

    /// <summary>Deploy's lock store, in memory; optionally the lock disappears after some reads (the deploy ends).</summary>
    private sealed class MemoryLockStore : ILockStore
    {
        public string? Content { get; set; }
        public int ReleaseAfterReads { get; init; } = int.MaxValue;
        public int Reads { get; private set; }
        public string Location => "memory:local.deploy.lock";
        public Task<bool> TryCreateAsync(string content, CancellationToken ct) =>
            throw new InvalidOperationException("Backup must not take the lock");
        public Task<string?> ReadAsync(CancellationToken ct)
        {
            if (++Reads > ReleaseAfterReads) Content = null;
            return Task.FromResult(Content);
        }
        public Task<bool> TryReplaceAsync(string expected, string content, CancellationToken ct) =>
            throw new InvalidOperationException("Backup must not refresh the lock");
        public Task<bool> TryDeleteAsync(string expected, CancellationToken ct) =>
            throw new InvalidOperationException("Backup must not remove the lock");
    }
}
