using FluentAssertions;
using Pipeline.Deploying.Locking;
using Pipeline.Deploying.Ssh;
using Pipeline.Engine;
using Pipeline.Tools.Ssh;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>The deploy lock as a file on an ssh host (a real sshd on 127.0.0.1:25328): racing takers over ssh, flock on the host.</summary>
public sealed class SshLockStoreRaceTests
{
    private const int SshPort = 25328, Racers = 8, Rounds = 2; // over ssh a race takes ~20 s on the shared 2-core machine

    [Fact]
    public async Task Eight_racers_over_ssh_exactly_one_takes_the_lock_file_or_its_stale_predecessor_every_round()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort);
        var directory = Path.Combine(sshd.Directory, "host-locks");
        await using var connections = new SshConnections();
        SshHost Host() => new(sshd.Target(), connections);
        for (var round = 1; round <= Rounds; round++)
        {
            foreach (var staleFirst in new[] { false, true })
            {
                var path = Path.Combine(directory, $"race-{round}-{staleFirst}.deploy.lock");
                if (staleFirst)
                {
                    var stale = LockHolder.Me("test-ssh", "v0", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddHours(-1)) with
                    {
                        Host = "gone-host",
                    };
                    (await new SshLockStore(Host(), path).TryCreateAsync(stale.ToJson(), default)).Should().BeTrue();
                }
                var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var racers = Enumerable.Range(1, Racers).Select(i => Task.Run(async () =>
                {
                    var store = new SshLockStore(Host(), path);
                    await start.Task;
                    try
                    {
                        return await DeployLock.AcquireAsync(
                            store,
                            "test-ssh",
                            $"web=round{round}-racer{i}",
                            TimeSpan.FromMinutes(1),
                            TimeSpan.Zero,
                            default
                        );
                    }
                    catch (PipelineException e) when (e.Message.Contains("test-ssh is locked", StringComparison.Ordinal))
                    {
                        return null;
                    }
                })).ToList();
                start.SetResult();
                var winners = (await Task.WhenAll(racers)).OfType<DeployLock>().ToList();

                winners.Should().ContainSingle($"round {round}{(staleFirst ? " (stale lock first)" : "")}: one deployer holds the lock");
                LockHolder.FromJson(await File.ReadAllTextAsync(path))!.Nonce.Should().Be(winners[0].Holder.Nonce);
                await winners[0].DisposeAsync();
                File.Exists(path).Should().BeFalse("the winner released it");
            }
        }
    }

    [Fact]
    public async Task An_empty_write_publishes_nothing_and_an_empty_lock_file_is_taken_over_as_unreadable_not_waited_on_forever()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort);
        var path = Path.Combine(sshd.Directory, "host-locks", "empty.deploy.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connections = new SshConnections();
        var store = new SshLockStore(new SshHost(sshd.Target(), connections), path);
        var emptyWrite = () => store.TryCreateAsync("", default);
        (await emptyWrite.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("exit 4");
        File.Exists(path).Should().BeFalse("a write whose content never arrived publishes nothing");
        await File.WriteAllTextAsync(path, ""); // as a writer before that check could leave it

        (await store.ReadAsync(default)).Should().Be("");
        var held = await DeployLock.AcquireAsync(
            store, "test-ssh", "web=v1", TimeSpan.FromMinutes(1), TimeSpan.Zero, default).WaitAsync(TimeSpan.FromSeconds(60));

        LockHolder.FromJson(await File.ReadAllTextAsync(path))!.Nonce.Should().Be(held.Holder.Nonce);
        await held.DisposeAsync();
        (await store.ReadAsync(default)).Should().BeNull("the holder released it: no lock file reads as no lock");
    }
}
