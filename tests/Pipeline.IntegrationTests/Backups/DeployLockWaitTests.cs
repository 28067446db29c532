using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Deploying.Locking;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>
/// Backup --wait-for-deploy-lock against Deploy's real lock: the file store the local environment's docker groups
/// use (GroupTarget.LockStore), taken and released by DeployLock itself, and a real backup to s3rver.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class DeployLockWaitTests(S3rverFixture s3)
{
    [Fact]
    public async Task Backup_waits_while_a_deploy_holds_the_lock_and_proceeds_once_it_is_released()
    {
        using var world = new BackupWorld(s3, "lockwait");
        world.Write("app/state.db", 20_000, 1);
        var store = new FileLockStore(Path.Combine(world.Root, "lock", "local.deploy.lock"));
        var deploy = await DeployLock.AcquireAsync(store, "local", "web=sha256:test", TimeSpan.FromMinutes(2), TimeSpan.Zero, default);
        var operations = new BackupOperations(
            new BackupsDefinition([world.Set], TimeSpan.FromHours(1), 4, null),
            _ => world.Store,
            world.State
        );

        var backup = operations.BackupAsync(
            new BackupRequest([world.Set]) { DeployLock = new DeployLockWatch(store), LockWait = TimeSpan.FromMinutes(1) },
            default
        );
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var doneWhileHeld = backup.IsCompleted;
        var snapshotsWhileHeld = await new SnapshotCatalog(world.Store).ListAsync(world.Set.Name, default);
        await deploy.DisposeAsync();
        var results = await backup.WaitAsync(TimeSpan.FromSeconds(30));

        doneWhileHeld.Should().BeFalse("the backup waits while the deploy holds the lock");
        snapshotsWhileHeld.Should().BeEmpty();
        results.Should().ContainSingle().Which.SnapshotId.Should().NotBeNull();
        File.Exists(store.Location).Should().BeFalse();
    }

    [Fact]
    public async Task Backup_does_not_wait_for_the_lock_of_a_deploy_whose_process_is_gone()
    {
        using var world = new BackupWorld(s3, "lockstale");
        world.Write("a.txt", 100, 2);
        var store = new FileLockStore(Path.Combine(world.Root, "lock", "local.deploy.lock"));
        var gone = LockHolder.Me("local", "web=old", TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow) with { Pid = int.MaxValue - 7 };
        (await store.TryCreateAsync(gone.ToJson(), default)).Should().BeTrue();
        var operations = new BackupOperations(
            new BackupsDefinition([world.Set], TimeSpan.FromHours(1), 4, null),
            _ => world.Store,
            world.State
        );

        var results = await operations.BackupAsync(
            new BackupRequest([world.Set]) { DeployLock = new DeployLockWatch(store), LockWait = TimeSpan.FromSeconds(5) },
            default
        );

        results.Should().ContainSingle().Which.SnapshotId.Should().NotBeNull();
        File.Exists(store.Location).Should().BeTrue("Backup only reads Deploy's lock");
    }
}
