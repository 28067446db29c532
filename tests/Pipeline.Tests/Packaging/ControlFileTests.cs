using FluentAssertions;
using Pipeline.Packaging.Building;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class ControlFileTests
{
    [Fact]
    public void Lists_fields_in_dpkg_order_with_adduser_added_for_the_service_user()
    {
        var text = ControlFile.Render(ControlFile.Fields(SamplePackage.Definition, "0.1.0+gabc1234", 42));

        text.Should().StartWith("""
            Package: heartbeat
            Version: 0.1.0+gabc1234
            Architecture: amd64
            Maintainer: Jane Doe <jane@example.org>
            Installed-Size: 42
            Depends: adduser, libc6 (>= 2.27), libstdc++6
            Section: net
            Priority: optional
            Homepage: https://example.org/heartbeat
            Description: liveness service

            """.Replace("\r", ""));
    }

    [Fact]
    public void Does_not_add_adduser_twice() =>
        ControlFile.Depends(SamplePackage.Definition with { Depends = ["adduser (>= 3.11)"] }).Should().Equal("adduser (>= 3.11)");

    [Fact]
    public void Description_indents_the_long_text_and_separates_paragraphs_with_a_dot()
    {
        var description = ControlFile.Description("short", "First line\ncontinues.\n\nSecond paragraph.");

        description.Should().Be("short\n First line continues.\n .\n Second paragraph.");
    }

    [Fact]
    public void Description_wraps_long_paragraphs_at_72_columns()
    {
        var words = string.Join(' ', Enumerable.Repeat("word", 40));

        var lines = ControlFile.Description("short", words).Split('\n').Skip(1).ToList();

        lines.Should().HaveCountGreaterThan(1).And.OnlyContain(l => l.Length <= 73 && l.StartsWith(' '));
    }
}
