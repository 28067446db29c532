using FluentAssertions;
using Pipeline.Packaging.Repository;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class ReleaseFileTests
{
    private static readonly IndexedFile Packages = IndexedFile.Of("Packages", "Package: x\n"u8.ToArray());
    private static readonly IndexedFile PackagesGz = IndexedFile.Of("Packages.gz", [1, 2, 3]);
    private static readonly string Release = ReleaseFile.Render(DateTimeOffset.FromUnixTimeSeconds(1_780_000_000), [Packages, PackagesGz]);

    [Fact]
    public void Dates_the_release_and_enables_by_hash()
    {
        Release.Should().Contain("Date: Thu, 28 May 2026 20:26:40 UTC\n");
        Release.Should().Contain("Acquire-By-Hash: yes\n");
        Release.Should().Contain("Architectures: amd64\n");
    }

    [Fact]
    public void Lists_size_and_sha256_of_each_index() =>
        Release.Should().Contain($"SHA256:\n {Packages.Sha256}       11 Packages\n {PackagesGz.Sha256}        3 Packages.gz\n");

    [Fact]
    public void Lists_md5_too_for_older_readers() =>
        Release.Should().Contain($"MD5Sum:\n {Packages.Md5}       11 Packages\n");

    [Fact]
    public void Its_sha256_hashes_can_be_read_back() =>
        ReleaseFile.Sha256Hashes(Release).Should().Equal(Packages.Sha256, PackagesGz.Sha256);
}
