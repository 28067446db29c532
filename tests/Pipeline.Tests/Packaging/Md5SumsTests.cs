using FluentAssertions;
using Pipeline.Packaging.Building;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class Md5SumsTests
{
    [Fact]
    public void Lists_md5_and_relative_path_sorted_without_conffiles()
    {
        var files = new[]
        {
            new PackageFile("/usr/bin/x", "a"u8.ToArray(), PackageFile.Executable),
            new PackageFile("/etc/default/x", "b"u8.ToArray(), PackageFile.Regular),
            new PackageFile("/usr/share/doc/x/copyright", ""u8.ToArray(), PackageFile.Regular),
        };

        Md5Sums.Render(files, new HashSet<string> { "/etc/default/x" }).Should().Be(
            "0cc175b9c0f1b6a831c399e269772661  usr/bin/x\n" +
            "d41d8cd98f00b204e9800998ecf8427e  usr/share/doc/x/copyright\n");
    }
}
