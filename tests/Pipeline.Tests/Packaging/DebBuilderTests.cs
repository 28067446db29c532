using FluentAssertions;
using Pipeline.Packaging.Building;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class DebBuilderTests
{
    private static byte[] Build(SourceRevision? revision = null) =>
        DebBuilder.Build(SamplePackage.Definition, revision ?? SamplePackage.Revision, SamplePackage.Executable);

    [Fact]
    public void Two_builds_of_the_same_inputs_are_byte_for_byte_identical() =>
        SHA256.HashData(Build()).Should().Equal(SHA256.HashData(Build()));

    [Fact]
    public void A_different_commit_time_gives_different_bytes() =>
        Build(SamplePackage.Revision with { CommitTime = SamplePackage.Revision.CommitTime.AddSeconds(1) }).Should().NotEqual(Build());

    [Fact]
    public void Holds_debian_binary_then_control_then_data()
    {
        var members = ArArchive.Read(new MemoryStream(Build())).ToList();

        members.Select(m => m.Name).Should().Equal("debian-binary", "control.tar.gz", "data.tar.gz");
        Encoding.ASCII.GetString(members[0].Content).Should().Be("2.0\n");
    }

    [Fact]
    public void Control_archive_has_control_md5sums_conffiles_and_executable_scripts()
    {
        var entries = DebReader.ReadTar(new MemoryStream(Build()), "control.tar.gz").ToDictionary(e => e.Name);

        entries.Keys.Should().Equal("./", "./conffiles", "./control", "./md5sums", "./postinst", "./postrm", "./prerm");
        Encoding.UTF8.GetString(entries["./conffiles"].Content!).Should().Be("/etc/default/heartbeat\n");
        ((int)entries["./postinst"].Entry.Mode).Should().Be(PackageFile.Executable);
    }

    [Fact]
    public void Control_names_the_version_from_git_and_the_installed_size()
    {
        var control = DebReader.ReadControl(new MemoryStream(Build()));

        control.Should().Contain("Package: heartbeat\nVersion: 0.1.0+g1a2b3c4\nArchitecture: amd64\n");
        control.Should().MatchRegex(@"Installed-Size: \d+\n");
    }

    [Fact]
    public void Data_archive_installs_binary_unit_conffile_docs_and_lintian_overrides()
    {
        var names = DebReader.ReadTar(new MemoryStream(Build()), "data.tar.gz").Where(e => e.Content is not null).Select(e => e.Name);

        names.Should().Equal(
            "./etc/default/heartbeat",
            "./usr/bin/heartbeat",
            "./usr/lib/systemd/system/heartbeat.service",
            "./usr/share/doc/heartbeat/changelog.gz",
            "./usr/share/doc/heartbeat/copyright",
            "./usr/share/lintian/overrides/heartbeat",
            "./usr/share/man/man1/heartbeat.1.gz");
    }

    [Fact]
    public void The_changelog_entry_matches_the_package_version()
    {
        var changelog = DebReader
            .ReadTar(new MemoryStream(Build()), "data.tar.gz")
            .Single(e => e.Name == "./usr/share/doc/heartbeat/changelog.gz");

        Encoding
            .UTF8.GetString(DeterministicGzip.Decompress(changelog.Content!))
            .Should()
            .StartWith("heartbeat (0.1.0+g1a2b3c4) unstable; urgency=medium\n");
    }

    [Fact]
    public void A_group_conffile_ships_0644_until_postinst_sets_its_statoverride()
    {
        var conffile = DebReader.ReadTar(new MemoryStream(Build()), "data.tar.gz").Single(e => e.Name == "./etc/default/heartbeat");

        ((int)conffile.Entry.Mode).Should().Be(PackageFile.Regular);
    }
}
