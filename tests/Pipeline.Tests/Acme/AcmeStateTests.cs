using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.Tests.Acme;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AcmeStateTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"pipeline-acme-state-{Guid.NewGuid():N}");
    private string StatePath => Path.Combine(_directory, ".nuke", "temp", "acme", "local", "acme.json");

    private static AcmeState Sample()
    {
        var keyPem = Csr.NewKeyPem(KeyType.EcP256);
        return (AcmeState.Empty with { Account = AcmeAccountState.New() }).With(
            new CertificateState(
                ["a.example.com"],
                KeyType.EcP256,
                "https://ca.example/dir",
                "CHAIN",
                keyPem,
                DateTimeOffset.UnixEpoch,
                DateTimeOffset.UnixEpoch.AddDays(90),
                DateTimeOffset.UnixEpoch
            )
        );
    }

    [Fact]
    public async Task The_state_round_trips_and_is_written_with_mode_0600_in_a_0700_directory_leaving_no_temporary_file()
    {
        var store = new AcmeStateStore(StatePath);
        var state = Sample();
        await store.SaveAsync(state, CancellationToken.None);
        await store.SaveAsync(state, CancellationToken.None);

        var loaded = await store.LoadAsync(CancellationToken.None);
        loaded.Account!.Key.Should().Be(state.Account!.Key);
        loaded.Find("a.example.com")!.KeyType.Should().Be(KeyType.EcP256);
        File.GetUnixFileMode(StatePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.GetDirectoryName(StatePath)!)
            .Should()
            .Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.GetFiles(Path.GetDirectoryName(StatePath)!).Should().ContainSingle();
        File.ReadAllText(StatePath).Should().Contain("\"keyType\": \"ec-p256\"");
    }

    [Fact]
    public void The_state_never_prints_its_keys()
    {
        var state = Sample();
        state.ToString().Should().NotContain("PRIVATE KEY");
        state.Account!.ToString().Should().NotContain("PRIVATE KEY");
        state.Certificates[0].ToString().Should().NotContain("PRIVATE KEY");
    }

    [Fact]
    public async Task A_transient_restore_failure_keeps_the_CA_from_being_asked_until_forced()
    {
        var store = new AcmeStateStore(StatePath);
        var backup = new StateBackup(store, new UnreachableStore(), "acme/local/acme.json");

        (await backup.RestoreAsync(CancellationToken.None)).Should().Be(RestoreOutcome.FailedTransiently);
        StateBackup.RestoreFailed(store, out var reason).Should().BeTrue();
        reason.Should().Contain("Connection refused");

        var definition = new CertificatesDefinition(
            new Uri("https://127.0.0.1:1/dir"),
            null,
            [],
            KeyType.EcP256,
            new(ChallengeType.Http01, 80, null, []),
            null,
            null,
            "b",
            "k",
            "d",
            null,
            [new NameSet(["a.example.com"], new(ChallengeType.Http01, 80, null, []))]
        );
        var root = new global::Pipeline.Engine.AbsolutePath(_directory);
        var steps = new CertificateSteps(definition, AcmeLayout.Of(root, root / ".nuke" / "temp", "local"));
        steps.Store.Path.Should().Be(StatePath);
        (
            await steps
                .Invoking(g => g.IssueAsync(false, CancellationToken.None))
                .Should()
                .ThrowAsync<global::Pipeline.Engine.PipelineException>()
        )
            .Which.Message.Should()
            .Contain("--force-issue");
    }

    [Fact]
    public async Task A_missing_backup_is_not_a_failure_and_a_present_local_state_is_kept()
    {
        var store = new AcmeStateStore(StatePath);
        (await new StateBackup(store, new EmptyStore(), "k").RestoreAsync(CancellationToken.None)).Should().Be(RestoreOutcome.NoBackup);
        StateBackup.RestoreFailed(store, out _).Should().BeFalse();
        await store.SaveAsync(Sample(), CancellationToken.None);
        (await new StateBackup(store, new UnreachableStore(), "k").RestoreAsync(CancellationToken.None))
            .Should()
            .Be(RestoreOutcome.LocalStatePresent);
    }

    [Fact]
    public async Task A_truncated_local_state_without_a_backup_fails_the_restore_naming_the_file_instead_of_starting_fresh()
    {
        var store = new AcmeStateStore(StatePath);
        await store.SaveAsync(Sample(), CancellationToken.None);
        var whole = await File.ReadAllBytesAsync(StatePath);
        await File.WriteAllBytesAsync(StatePath, whole[..(whole.Length / 2)]);

        var restore = () => new StateBackup(store, new EmptyStore(), "k").RestoreAsync(CancellationToken.None);

        (await restore.Should().ThrowAsync<global::Pipeline.Engine.PipelineException>())
            .Which.Message.Should()
            .StartWith($"{StatePath}: not a readable ACME state (")
            .And.EndWith("and there is no backup at k; move it away to start fresh (the CA is then asked for every certificate anew).");
        File.ReadAllBytes(StatePath).Should().HaveCount(whole.Length / 2, "the damaged file is left where it is");
    }

    [Fact]
    public async Task The_state_is_backed_up_again_when_its_destination_changes_and_not_when_nothing_did()
    {
        var store = new AcmeStateStore(StatePath);
        await store.SaveAsync(Sample(), CancellationToken.None);
        (await new StateBackup(store, new EmptyStore(), "acme/a.json").BackupAsync(CancellationToken.None)).Should().BeTrue();
        (await new StateBackup(store, new EmptyStore(), "acme/a.json").BackupAsync(CancellationToken.None))
            .Should()
            .BeFalse("the same content is already there");
        (await new StateBackup(store, new EmptyStore(), "acme/b.json").BackupAsync(CancellationToken.None))
            .Should()
            .BeTrue("the new key has never received it");
    }

    private sealed class EmptyStore : IObjectStore
    {
        public Task PutAsync(string key, Stream content, CancellationToken ct) => Task.CompletedTask;
        public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct) => Task.CompletedTask;
        public Task<Stream?> GetAsync(string key, CancellationToken ct) => Task.FromResult<Stream?>(null);
        public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(false);
        public async IAsyncEnumerable<ObjectInfo> ListAsync(
            string prefix,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct
        )
        {
            await Task.CompletedTask;
            yield break;
        }
        public Task DeleteAsync(string key, CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>An object store whose every read fails as an unreachable endpoint does.</summary>
    private sealed class UnreachableStore : IObjectStore
    {
        private static HttpRequestException Refused() =>
            new("Connection refused (127.0.0.1:9)", new System.Net.Sockets.SocketException(111));
        public Task PutAsync(string key, Stream content, CancellationToken ct) => throw Refused();
        public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct) => throw Refused();
        public Task<Stream?> GetAsync(string key, CancellationToken ct) => throw Refused();
        public Task<bool> ExistsAsync(string key, CancellationToken ct) => throw Refused();
        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => throw Refused();
        public Task DeleteAsync(string key, CancellationToken ct) => throw Refused();
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
