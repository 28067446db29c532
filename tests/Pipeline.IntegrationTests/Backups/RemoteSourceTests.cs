using FluentAssertions;
using Pipeline.Backups;
using Pipeline.IntegrationTests.Deploying;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>A source on an ssh host (a real sshd on 127.0.0.1:25327, pinned key) backed up and restored through the build's SSH.NET
/// client.</summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RemoteSourceTests(S3rverFixture s3)
{
    private const int SshPort = 25327;

    [Fact]
    public async Task A_source_on_an_ssh_host_whose_path_has_spaces_is_backed_up_and_restored_in_place_over_the_pinned_client()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort);
        using var world = new BackupWorld(s3, "remote");
        var remote = Path.Combine(world.Root, "on the host", "it's data");
        var stamp = new DateTime(2021, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        foreach (
            var (file, mode) in new[]
            {
                ("a.txt", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead),
                ("sub dir/run me.sh", (UnixFileMode)0b111_101_101),
            }
        )
        {
            var path = Path.Combine(remote, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"content of {file}");
            File.SetUnixFileMode(path, mode);
            File.SetLastWriteTimeUtc(path, stamp);
        }
        var before = TreeComparison.Describe(remote);
        var source = new BackupSource("host-data", SourceKind.Ssh, remote, Host: $"root@127.0.0.1:{SshPort}");
        var set = new BackupSet(
            "remote",
            [source],
            [],
            S3rverFixture.Bucket,
            world.Store.Prefix.TrimEnd('/'),
            RetentionPolicy.Default(TimeZoneInfo.Utc)
        );
        var definition = new BackupsDefinition([set], TimeSpan.FromHours(1), 4, null)
        {
            Ssh = new BackupSshDefinition(sshd.PinnedKnownHosts, sshd.ClientKey, null),
        };
        var operations = new BackupOperations(definition, _ => world.Store, world.State);

        var backup = (await operations.BackupAsync(new BackupRequest([set]), CancellationToken.None)).Single();
        File.WriteAllText(Path.Combine(remote, "a.txt"), "changed after the backup");
        File.WriteAllText(Path.Combine(remote, "new.txt"), "not in the snapshot");
        await operations.RestoreAsync([set], null, null, false, CancellationToken.None);

        backup.Files.Should().Be(2);
        TreeComparison.Describe(remote).Should().Equal(before);
        Directory
            .GetFileSystemEntries(Path.GetDirectoryName(remote)!)
            .Should()
            .Equal([remote], "the .restoring and .replaced copies are gone");
    }

    [Fact]
    public async Task A_host_whose_key_is_not_pinned_is_refused_before_anything_is_read()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort);
        using var world = new BackupWorld(s3, "remote-refused");
        var source = new BackupSource("host-data", SourceKind.Ssh, "/etc", Host: $"root@127.0.0.1:{SshPort}");
        var set = new BackupSet(
            "remote",
            [source],
            [],
            S3rverFixture.Bucket,
            world.Store.Prefix.TrimEnd('/'),
            RetentionPolicy.Default(TimeZoneInfo.Utc)
        );
        var definition = new BackupsDefinition([set], TimeSpan.FromHours(1), 4, null)
        {
            Ssh = new BackupSshDefinition(sshd.WrongKnownHosts, sshd.ClientKey, null),
        };

        var backup = () =>
            new BackupOperations(definition, _ => world.Store, world.State).BackupAsync(new BackupRequest([set]), CancellationToken.None);

        (await backup.Should().ThrowAsync<Pipeline.Tools.Ssh.HostKeyRefusedException>())
            .Which.Message.Should()
            .Contain($"is not the key pinned (changed) in {sshd.WrongKnownHosts}");
    }
}
