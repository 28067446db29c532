using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Text;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>
/// Encrypted repositories against s3rver: a round trip in which the store sees no file name nor content hash; a byte
/// flipped on s3rver's disk in each kind of object, refused naming it; a write-only host; a key slot added later.
/// </summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EncryptedRepositoryTests(S3rverFixture s3, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task An_encrypted_repository_round_trips_and_the_store_sees_no_file_name_nor_content_hash()
    {
        using var world = new BackupWorld(s3, "sealed");
        var keyFile = Path.Combine(world.Root, "repo.key");
        world.Write("notes/secret-name.txt", 3000, 1);
        world.Write("big.bin", (int)PackWriter.MaxPackedSize + 10, 2);
        world.Write("huge.bin", (int)S3ObjectStore.MultipartThreshold + 5000, 3);
        var ops = Operations(world, new RepositoryAccess(KeyFile: keyFile));

        var first = (await ops.BackupAsync(new BackupRequest([world.Set]), default)).Single();
        var again = (await ops.BackupAsync(new BackupRequest([world.Set]), default)).Single();
        var into = Path.Combine(world.Root, "restored");
        await Operations(world, new RepositoryAccess(KeyFile: keyFile), FreshState(world))
            .RestoreAsync([world.Set], null, into, false, default);

        again.UpToDate.Should().BeTrue();
        TreeComparison.Describe(Path.Combine(into, "data", BackupOperations.SafeName(world.Source)))
            .Should().Equal(TreeComparison.Describe(world.Source));
        File.Exists(keyFile).Should().BeTrue("a new repository's key file is made when missing");
        var stored = new List<string>();
        await foreach (var o in world.Store.ListAsync("", default)) stored.Add(o.Key);
        stored.Should()
            .Contain([RepositoryLayout.Config, RepositoryLayout.OperatorKey, RepositoryLayout.Snapshot("data", first.SnapshotId!)]);
        var shas = Directory.EnumerateFiles(world.Source, "*", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))).ToList();
        foreach (var key in stored)
        {
            shas.Should().NotContain(sha => key.Contains(sha), $"{key} must not name a content by its SHA-256");
            var bytes = await ReadRawAsync(world, key);
            Encoding.UTF8.GetString(bytes).Should().NotContain("secret-name", $"{key} must not show a file name");
        }
    }

    public static TheoryData<string> Kinds => new() { "manifest", "pack", "index", "object", "key slot", "key slot, not base64" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_byte_flipped_in_a_stored_object_is_refused_by_Restore_and_VerifyBackups_naming_the_object(string kind)
    {
        using var world = new BackupWorld(s3, "tamper");
        var access = new RepositoryAccess(KeyFile: Path.Combine(world.Root, "repo.key"));
        world.Write("small.txt", 2000, 1);
        world.Write("big.bin", (int)PackWriter.MaxPackedSize + 10, 2);
        // Large objects of their own are written only by Pipelines before chunking (whose repositories still restore).
        var writer = new BackupOperations(new BackupsDefinition([world.Set], TimeSpan.FromHours(1), 4, null), _ => world.Store,
            world.State, access)
        { ChunkFilesAbove = kind == "object" ? long.MaxValue : PackWriter.MaxPackedSize };
        var result = (await writer.BackupAsync(new BackupRequest([world.Set]), default)).Single();
        var sealedStore = await access.OpenAsync(world.Store, world.Set.Repository, FreshState(world), create: false, default);
        var manifest = await new SnapshotCatalog(sealedStore).ReadAsync("data", result.SnapshotId!, default);
        var pack = (await new PackCatalog(sealedStore).LoadAsync(default)).Indexes.Single().Index.Pack;
        var big = manifest.Sources[0].Entries.Single(e => e.Path == "big.bin").Sha256!;
        var key = kind switch
        {
            "manifest" => RepositoryLayout.Snapshot("data", result.SnapshotId!),
            "pack" => RepositoryLayout.Pack(pack),
            "index" => RepositoryLayout.Index(pack),
            "object" => new ContentStore(sealedStore, await ContentNaming.OfAsync(sealedStore, manifest, default)).KeyOf(big),
            _ => (await RepositoryKeys.SlotsAsync(world.Store, default)).Single().Key,
        };
        if (kind.StartsWith("key slot", StringComparison.Ordinal)) FlipInWrappedKey(world, key, base64: kind == "key slot");
        else world.FlipStoredByte(s3, key, SealedFormat.HeaderSize + 5);

        var restore = () => Operations(world, access, FreshState(world)).RestoreAsync([world.Set], null,
            Path.Combine(world.Root, "restored"), false, default);
        var verify = () => Operations(world, access, FreshState(world)).VerifyAsync([world.Set], default);

        var restoreError = (await restore.Should().ThrowAsync<PipelineException>()).Which.Message;
        var verifyError = (await verify.Should().ThrowAsync<PipelineException>()).Which.Message;
        output.WriteLine(restoreError);
        output.WriteLine(verifyError);
        restoreError.Should().Contain(key);
        verifyError.Should().Contain(key);
        var restored = Path.Combine(world.Root, "restored");
        (Directory.Exists(restored) ? Directory.EnumerateFiles(restored, "*", SearchOption.AllDirectories) : []).Should()
            .BeEmpty("nothing is restored from a tampered repository");
    }

    [Fact]
    public async Task A_host_with_only_the_public_key_backs_up_but_can_neither_restore_nor_list_file_names_and_the_operators_restore_it()
    {
        using var world = new BackupWorld(s3, "writeonly");
        var operators = new RepositoryAccess(KeyFile: Path.Combine(world.Root, "repo.key"));
        world.Write("operators.txt", 500, 1);
        await Operations(world, operators).BackupAsync(new BackupRequest([world.Set]), default);
        var publicKey = Path.Combine(world.Root, "operators.pem");
        await Operations(world, operators).ExportPublicKeyAsync([world.Set], publicKey, default);
        var hostSource = Path.Combine(world.Root, "host");
        Directory.CreateDirectory(hostSource);
        File.WriteAllText(Path.Combine(hostSource, "host-secret-name.txt"), "written by the host");
        File.WriteAllBytes(Path.Combine(hostSource, "large.bin"), new byte[PackWriter.MaxPackedSize + 100]);
        var hostSet = world.SetNamed("host", hostSource);
        var hostState = new BackupState(new AbsolutePath(Path.Combine(world.Root, "host-state")));
        var host = new BackupOperations(new BackupsDefinition([world.Set, hostSet], TimeSpan.FromHours(1), 4, null), _ => world.Store,
            hostState, new RepositoryAccess(PublicKeyFile: publicKey));

        var backedUp = (await host.BackupAsync(new BackupRequest([hostSet]), default)).Single();
        File.AppendAllText(Path.Combine(hostSource, "host-secret-name.txt"), " twice");
        var second = (await host.BackupAsync(new BackupRequest([hostSet]), default)).Single();
        var list = await host.ListAsync([world.Set, hostSet], default);
        var restoreOwn = () => host.RestoreAsync([hostSet], null, Path.Combine(world.Root, "host-restored"), false, default);
        var restoreOthers = () => host.RestoreAsync([world.Set], null, Path.Combine(world.Root, "host-restored"), false, default);
        var into = Path.Combine(world.Root, "operators-restored");
        var operatorsOps = new BackupOperations(new BackupsDefinition([world.Set, hostSet], TimeSpan.FromHours(1), 4, null),
            _ => world.Store, FreshState(world), operators);
        await operatorsOps.RestoreAsync([hostSet], null, into, false, default);
        var verified = await operatorsOps.VerifyAsync([world.Set, hostSet], default);

        output.WriteLine(list);
        second.UploadedBytes.Should().BeLessThan(100, "the host dedups against what it stored itself (its local cache)");
        backedUp.SnapshotId.Should().NotBeNull();
        list.Should().Contain("(sealed: this host holds only the operators' public key)").And.NotContain("files");
        (await restoreOwn.Should().ThrowAsync<SealedForOthersException>()).Which.Message.Should().Contain("snapshots/host/");
        (await restoreOthers.Should().ThrowAsync<SealedForOthersException>()).Which.Message.Should().Contain("snapshots/data/");
        TreeComparison.Describe(Path.Combine(into, "host", BackupOperations.SafeName(hostSource)))
            .Should().Equal(TreeComparison.Describe(hostSource));
        verified.Single().Problems.Should().BeEmpty();
        verified.Single().Snapshots.Should().Be(3);
    }

    [Fact]
    public async Task A_passphrase_slot_added_later_opens_the_repository_and_a_removed_slot_no_longer_does()
    {
        using var world = new BackupWorld(s3, "slots");
        var keyFile = new RepositoryAccess(KeyFile: Path.Combine(world.Root, "repo.key"));
        world.Write("a.txt", 100, 1);
        await Operations(world, keyFile).BackupAsync(new BackupRequest([world.Set]), default);

        await Operations(world, keyFile).AddKeyAsync([world.Set], Credential.Passphrase("correct horse battery staple"), default);
        var byPassphrase = Operations(world, new RepositoryAccess("correct horse battery staple"), FreshState(world));
        await byPassphrase.RestoreAsync([world.Set], null, Path.Combine(world.Root, "restored"), false, default);
        var slots = await RepositoryKeys.SlotsAsync(world.Store, default);
        var listed = await byPassphrase.ListKeysAsync([world.Set], default);
        await byPassphrase.RemoveKeyAsync([world.Set], slots.Single(s => s.Kind == KeySlot.KeyFileKind).Id, default);
        var byKeyFile = () => Operations(world, keyFile, FreshState(world)).VerifyAsync([world.Set], default);
        var wrong = () => Operations(world, new RepositoryAccess("wrong"), FreshState(world)).VerifyAsync([world.Set], default);

        output.WriteLine(listed);
        listed.Should().Contain("2 key slots").And.Contain("passphrase").And.Contain("key-file");
        File.ReadAllText(Path.Combine(world.Root, "restored", "data", BackupOperations.SafeName(world.Source), "a.txt"))
            .Should().NotBeEmpty();
        (await byKeyFile.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("has no key slot of the kind given");
        (await wrong.Should().ThrowAsync<PipelineException>())
            .Which.Message.Should().Contain(slots.Single(s => s.Kind == KeySlot.PassphraseKind).Key);
    }

    [Fact]
    public async Task A_repository_made_before_encryption_keeps_working_and_a_new_one_without_a_key_is_refused_with_the_fix()
    {
        using var world = new BackupWorld(s3, "legacy");
        world.Write("a.txt", 100, 1);
        await world.BackupAsync();
        world.Write("b.txt", 100, 2);
        var withKey = Operations(world, new RepositoryAccess(KeyFile: Path.Combine(world.Root, "repo.key")));
        await withKey.BackupAsync(new BackupRequest([world.Set]), default);
        using var fresh = new BackupWorld(s3, "nokey");
        fresh.Write("a.txt", 100, 1);
        var noKey = () => Operations(fresh, new RepositoryAccess()).BackupAsync(new BackupRequest([fresh.Set]), default);

        (await world.LatestAsync()).Files.Should().Be(2, "the plain repository is read and written as it is");
        (await world.Store.ExistsAsync(RepositoryLayout.Config, default)).Should().BeFalse();
        File.Exists(Path.Combine(world.Root, "repo.key")).Should().BeFalse();
        (await noKey.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("--backup-passphrase")
            .And.Contain("encryption: none");
    }

    private static BackupOperations Operations(BackupWorld world, RepositoryAccess access, BackupState? state = null) =>
        new(new BackupsDefinition([world.Set], TimeSpan.FromHours(1), 4, null), _ => world.Store, state ?? world.State, access);

    /// <summary>Another machine's state: no cached manifest, index or marker hides what the store now holds.</summary>
    private static BackupState FreshState(BackupWorld world) =>
        new(new AbsolutePath(Path.Combine(world.Root, $"state-{Guid.NewGuid():N}")));

    private static async Task<byte[]> ReadRawAsync(BackupWorld world, string key)
    {
        await using var body = (await world.Store.GetAsync(key, default))!;
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Changes one letter of a key slot's wrapped master key, to another letter or to a character that is no base64 (the
    /// JSON stays valid either way; the letter is searched for, since the JSON may write '+' as \u002B).</summary>
    private void FlipInWrappedKey(BackupWorld world, string key, bool base64)
    {
        var file = Path.Combine(s3.DataDirectory, S3rverFixture.Bucket, world.Store.FullKey(key) + "._S3rver_object");
        var text = File.ReadAllText(file);
        var at = text.IndexOf("\"wrapped\":\"", StringComparison.Ordinal) + 11 + 20;
        while (!char.IsAsciiLetter(text[at]) || text.LastIndexOf('\\', at) > at - 6) at++;
        File.WriteAllText(file, text[..at] + (base64 ? text[at] == 'A' ? 'B' : 'A' : '*') + text[(at + 1)..]);
    }
}
