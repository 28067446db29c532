using FluentAssertions;
using Pipeline.Packaging.Building;
using System.Formats.Tar;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class DeterministicTarTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
    private static readonly PackageFile[] Files =
    [
        new("/usr/share/doc/x/copyright", "c"u8.ToArray(), PackageFile.Regular),
        new("/usr/bin/x", "x"u8.ToArray(), PackageFile.Executable),
        new("/etc/default/x", "e"u8.ToArray(), 0b110_100_000),
    ];

    private static List<TarEntry> Read(byte[] gzipped)
    {
        using var reader = new TarReader(new MemoryStream(DeterministicGzip.Decompress(gzipped)));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry) entries.Add(entry);
        return entries;
    }

    [Fact]
    public void Lists_root_then_every_directory_before_its_contents_in_sorted_order() =>
        Read(DeterministicTar.CreateGzipped(Files, Time)).Select(e => e.Name).Should().Equal(
            "./", "./etc/", "./etc/default/", "./etc/default/x", "./usr/", "./usr/bin/", "./usr/bin/x",
            "./usr/share/", "./usr/share/doc/", "./usr/share/doc/x/", "./usr/share/doc/x/copyright");

    [Fact]
    public void Stamps_every_entry_with_the_commit_time_and_root_ownership()
    {
        var entries = Read(DeterministicTar.CreateGzipped(Files, Time));

        entries.Should().OnlyContain(e => e.ModificationTime == Time && e.Uid == 0 && e.Gid == 0);
        entries.Cast<PosixTarEntry>().Should().OnlyContain(e => e.UserName == "root" && e.GroupName == "root");
    }

    [Fact]
    public void Keeps_the_fixed_modes()
    {
        var modes = Read(DeterministicTar.CreateGzipped(Files, Time)).ToDictionary(e => e.Name, e => (int)e.Mode);

        modes["./usr/bin/"].Should().Be(0b111_101_101);
        modes["./usr/bin/x"].Should().Be(0b111_101_101);
        modes["./usr/share/doc/x/copyright"].Should().Be(0b110_100_100);
        modes["./etc/default/x"].Should().Be(0b110_100_000);
    }

    [Fact]
    public void Gives_the_same_bytes_whatever_the_input_order() =>
        DeterministicTar.CreateGzipped(Files, Time).Should().Equal(DeterministicTar.CreateGzipped(Files.Reverse(), Time));

    [Fact]
    public void Refuses_a_path_listed_twice()
    {
        var create = () => DeterministicTar.CreateGzipped([.. Files, Files[0]], Time);

        create.Should().Throw<ArgumentException>().WithMessage("*/usr/share/doc/x/copyright is in the package twice*");
    }
}
