using FluentAssertions;
using Pipeline.Packaging.Building;
using Pipeline.Packaging.Repository;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.Tests.Packaging;

public sealed class AptRepositoryWriterTests : IDisposable
{
    private static readonly DateTimeOffset Date = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
    private readonly TemporaryDirectory _repository = new();

    public void Dispose() => _repository.Dispose();

    private string AddToPool(SourceRevision revision)
    {
        var deb = DebBuilder.Build(SamplePackage.Definition, revision, SamplePackage.Executable);
        var name = PackageVersion.FileName("heartbeat", PackageVersion.Compose("0.1.0", revision));
        Directory.CreateDirectory(_repository["pool"]);
        File.WriteAllBytes(_repository[$"pool/{name}"], deb);
        return name;
    }

    private Task<string> WriteAsync(params string[] pool) =>
        new AptRepositoryWriter(_repository.Path).WriteAsync(pool, Date, CancellationToken.None);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Indexes_the_pool_with_the_package_control_and_its_hash()
    {
        var deb = AddToPool(SamplePackage.Revision);

        await WriteAsync(deb);

        var packages = File.ReadAllText(_repository["Packages"]);
        packages.Should().StartWith("Package: heartbeat\nVersion: 0.1.0+g1a2b3c4\n");
        packages.Should().Contain($"Filename: pool/{deb}\n").And.Contain($"SHA256: {Sha256(_repository[$"pool/{deb}"])}\n");
        DeterministicGzip
            .Decompress(File.ReadAllBytes(_repository["Packages.gz"]))
            .Should()
            .Equal(File.ReadAllBytes(_repository["Packages"]));
    }

    [Fact]
    public async Task Release_lists_the_indexes_each_with_a_by_hash_copy()
    {
        await WriteAsync(AddToPool(SamplePackage.Revision));

        var release = File.ReadAllText(_repository["Release"]);
        release.Should().Contain($" {Sha256(_repository["Packages"])} ").And.Contain($" {Sha256(_repository["Packages.gz"])} ");
        foreach (var hash in ReleaseFile.Sha256Hashes(release))
            Sha256(_repository[$"by-hash/SHA256/{hash}"]).Should().Be(hash);
    }

    [Fact]
    public async Task Keeps_the_previous_release_by_hash_copies_for_readers_mid_update_and_drops_older_ones()
    {
        var first = AddToPool(SamplePackage.Revision);
        await WriteAsync(first);
        var firstHashes = ReleaseFile.Sha256Hashes(File.ReadAllText(_repository["Release"])).ToList();
        var second = AddToPool(SamplePackage.Revision with { ShortSha = "2222222" });
        await WriteAsync(second);
        var third = AddToPool(SamplePackage.Revision with { ShortSha = "3333333" });

        await WriteAsync(third);

        Directory.GetFiles(_repository["by-hash/SHA256"]).Should().HaveCount(4);
        firstHashes.Should().OnlyContain(h => !File.Exists(_repository[$"by-hash/SHA256/{h}"]));
    }

    [Fact]
    public async Task Removes_pool_files_the_index_no_longer_lists()
    {
        var old = AddToPool(SamplePackage.Revision);
        var current = AddToPool(SamplePackage.Revision with { ShortSha = "2222222" });

        await WriteAsync(current);

        File.Exists(_repository[$"pool/{old}"]).Should().BeFalse();
        File.Exists(_repository[$"pool/{current}"]).Should().BeTrue();
    }

    [Fact]
    public async Task Leaves_no_temporary_files_behind()
    {
        await WriteAsync(AddToPool(SamplePackage.Revision));

        Directory.GetFiles(_repository.Path, "*.tmp-*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task Writing_the_same_pool_twice_gives_the_same_index()
    {
        var deb = AddToPool(SamplePackage.Revision);
        var first = await WriteAsync(deb);

        (await WriteAsync(deb)).Should().Be(first);
    }

    [Fact]
    public async Task Signs_with_the_given_signer_writing_in_release_and_release_gpg()
    {
        await new AptRepositoryWriter(_repository.Path, new FakeSigner()).WriteAsync(
            [AddToPool(SamplePackage.Revision)],
            Date,
            CancellationToken.None
        );

        File.ReadAllText(_repository["InRelease"]).Should().StartWith("signed:Origin: Pipeline");
        File.ReadAllText(_repository["Release.gpg"]).Should().Be("detached");
    }

    private sealed class FakeSigner : IReleaseSigner
    {
        public Task<(byte[] InRelease, byte[] ReleaseGpg)> SignAsync(byte[] release, CancellationToken cancellationToken) =>
            Task.FromResult<(byte[], byte[])>(([.. "signed:"u8.ToArray(), .. release], "detached"u8.ToArray()));
    }
}
