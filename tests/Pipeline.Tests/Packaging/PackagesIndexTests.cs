using FluentAssertions;
using Pipeline.Packaging.Repository;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class PackagesIndexTests
{
    [Fact]
    public void Appends_location_size_and_hashes_to_each_control_stanza_sorted_by_name()
    {
        var text = PackagesIndex.Render(
        [
            new("Package: zeta\nVersion: 1\n", new IndexedFile("pool/zeta_1_amd64.deb", 10, "m1", "s1")),
            new("Package: alpha\nVersion: 2\n", new IndexedFile("pool/alpha_2_amd64.deb", 20, "m2", "s2")),
        ]);

        text.Should().Be(
            "Package: alpha\nVersion: 2\nFilename: pool/alpha_2_amd64.deb\nSize: 20\nMD5sum: m2\nSHA256: s2\n" +
            "\n" +
            "Package: zeta\nVersion: 1\nFilename: pool/zeta_1_amd64.deb\nSize: 10\nMD5sum: m1\nSHA256: s1\n");
    }

    [Fact]
    public void Is_empty_without_packages() => PackagesIndex.Render([]).Should().BeEmpty();
}
