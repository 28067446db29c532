using FluentAssertions;
using Pipeline.Packaging.Building;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class PackageVersionTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);

    [Fact]
    public void Is_semver_plus_g_and_the_short_commit() =>
        PackageVersion.Compose("1.2.3", new SourceRevision("abc1234", Time, Dirty: false)).Should().Be("1.2.3+gabc1234");

    [Fact]
    public void Marks_uncommitted_changes() =>
        PackageVersion.Compose("1.2.3", new SourceRevision("abc1234", Time, Dirty: true)).Should().Be("1.2.3+gabc1234.dirty");

    [Fact]
    public void Turns_a_prerelease_into_a_tilde_so_debian_sorts_it_first() =>
        PackageVersion.Compose("1.2.3-rc.1", new SourceRevision("abc1234", Time, Dirty: false)).Should().Be("1.2.3~rc.1+gabc1234");

    [Fact]
    public void Names_the_file_name_version_architecture() =>
        PackageVersion.FileName("heartbeat", "0.1.0+gabc1234").Should().Be("heartbeat_0.1.0+gabc1234_amd64.deb");
}
