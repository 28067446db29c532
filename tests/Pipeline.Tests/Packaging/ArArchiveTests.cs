using FluentAssertions;
using Pipeline.Packaging.Building;
using System.Text;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class ArArchiveTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);

    [Fact]
    public void Writes_the_global_header_and_fixed_60_byte_member_headers_owned_by_root()
    {
        using var output = new MemoryStream();
        ArArchive.Write(output, [("debian-binary", "2.0\n"u8.ToArray())], Time);

        Encoding.ASCII.GetString(output.ToArray()).Should().Be(
            "!<arch>\n" +
            "debian-binary   1780000000  0     0     100644  4         `\n" +
            "2.0\n");
    }

    [Fact]
    public void Pads_odd_members_to_an_even_size_and_reads_them_back()
    {
        using var output = new MemoryStream();
        ArArchive.Write(output, [("a", "odd"u8.ToArray()), ("b", "even"u8.ToArray())], Time);

        (output.Length % 2).Should().Be(0);
        output.Position = 0;
        ArArchive.Read(output).Select(m => (m.Name, Encoding.ASCII.GetString(m.Content))).Should().Equal(("a", "odd"), ("b", "even"));
    }

    [Fact]
    public void Refuses_member_names_longer_than_16_characters()
    {
        var write = () => ArArchive.Write(new MemoryStream(), [("a-very-long-member-name", [])], Time);

        write.Should().Throw<ArgumentException>();
    }
}
