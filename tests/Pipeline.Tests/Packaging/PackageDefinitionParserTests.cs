using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Packaging.Definitions;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class PackageDefinitionParserTests
{
    [Fact]
    public void Reads_every_field_of_a_valid_definition()
    {
        var definition = SamplePackage.Parse();

        definition.Name.Should().Be("heartbeat");
        definition.Version.Should().Be("0.1.0");
        definition.Depends.Should().Equal("libc6 (>= 2.27)", "libstdc++6");
        definition.Service.Should().BeEquivalentTo(new { User = "heartbeat", Restart = "on-failure", RestartSec = 2, StopTimeoutSec = 20 });
        definition.Service!.After.Should().Equal("network-online.target");
        definition
            .ConfigFiles.Should()
            .ContainSingle()
            .Which.Should()
            .BeEquivalentTo(
                new
                {
                    Path = "/etc/default/heartbeat",
                    Mode = 0b110_100_000,
                    Group = "heartbeat",
                }
            );
        definition.LintianOverrides.Should().Equal("embedded-library zlib [usr/bin/heartbeat]");
        definition.InstalledExecutable.Should().Be("/usr/bin/heartbeat");
    }

    [Fact]
    public void Optional_fields_get_defaults()
    {
        var definition = SamplePackage.Parse("""
            name: tiny
            version: 1.0.0
            summary: a tiny tool
            description: It does little.
            maintainer: Jane Doe <jane@example.org>
            copyright: 2026 Jane Doe
            license: MIT
            project: Heartbeat.csproj
            """);

        definition
            .Should()
            .BeEquivalentTo(
                new
                {
                    Section = "misc",
                    Priority = "optional",
                    Executable = "tiny",
                    Homepage = (string?)null,
                    Service = (ServiceOptions?)null,
                }
            );
        definition.ConfigFiles.Should().BeEmpty();
    }

    [Theory]
    [InlineData("user:", "user: Bad User", "apps/heartbeat/package.yml: service/user: must be a valid user name (e.g. heartbeat)")]
    [InlineData("user:", "user: root", "apps/heartbeat/package.yml: service/user: must be a valid user name (e.g. heartbeat)")]
    [InlineData("name:", "name: Heart_Beat", "apps/heartbeat/package.yml: name: must be a Debian package name")]
    [InlineData("version:", "version: 1.0", "apps/heartbeat/package.yml: version: must be a semantic version (e.g. 1.2.3 or 1.2.3-rc.1)")]
    [InlineData(
        "maintainer:",
        "maintainer: jane@example.org",
        "apps/heartbeat/package.yml: maintainer: must look like: Jane Doe <jane@example.org>"
    )]
    [InlineData("depends:", "depends: [libc6 >= 2]", "apps/heartbeat/package.yml: depends/0: must be a package relation")]
    [InlineData("section:", "sections: net", "apps/heartbeat/package.yml: sections: unknown key.")]
    [InlineData("stop_timeout_sec:", "stop_timeout_sec: 0", "apps/heartbeat/package.yml: service/stop_timeout_sec: must be at least 1")]
    [InlineData(
        "source:",
        "source: missing.default",
        "apps/heartbeat/package.yml: config/0/source: 'missing.default' does not exist in the app folder"
    )]
    [InlineData("source:", "source: ../../etc/passwd", "apps/heartbeat/package.yml: config/0/source: must be a file inside the app folder")]
    [InlineData("- path:", "- path: /usr/share/x", "apps/heartbeat/package.yml: config/0/path: must be a file path under /etc/")]
    [InlineData("mode:", "mode: \"0755\"", "apps/heartbeat/package.yml: config/0/mode: '0755' must be an octal mode")]
    [InlineData("group:", "group: staff", "apps/heartbeat/package.yml: config/0/group: must be root or the service user (heartbeat)")]
    [InlineData(
        "project:",
        "project: Other.csproj",
        "apps/heartbeat/package.yml: project: 'Other.csproj' does not exist in the app folder"
    )]
    public void A_bad_value_fails_with_one_line_naming_file_and_key_path(string line, string replacement, string expected)
    {
        var parse = () => SamplePackage.Parse(SamplePackage.With(line, replacement));

        var error = parse.Should().Throw<DefinitionException>().Which;
        error.Message.Should().StartWith(expected);
        error.Message.Should().NotContain("\n");
        error.Message.Should().MatchRegex(@"\(line \d+, column \d+\)$");
    }

    [Theory]
    [InlineData("name:", "'name' is missing")]
    [InlineData("maintainer:", "'maintainer' is missing")]
    [InlineData("license:", "'license' is missing")]
    public void A_missing_field_is_named(string line, string expected)
    {
        var parse = () => SamplePackage.Parse(SamplePackage.With(line, ""));

        parse
            .Should()
            .Throw<DefinitionException>()
            .Which.Message.Should()
            .StartWith($"apps/heartbeat/package.yml: (top level): {expected}");
    }

    [Fact]
    public void Bad_input_is_a_usage_error_with_exit_code_2()
    {
        var parse = () => SamplePackage.Parse("name: [");

        parse.Should().Throw<UsageException>().Which.ExitCode.Should().Be(ExitCodes.Usage);
    }

    [Fact]
    public void Environment_variables_are_not_substituted_so_builds_stay_reproducible()
    {
        var parse = () => SamplePackage.Parse(SamplePackage.With("summary:", "summary: built on ${HOSTNAME}"));

        parse.Should().Throw<DefinitionException>().Which.Message.Should().Contain("summary: ${HOSTNAME} has no value");
    }

    [Fact]
    public void The_heartbeat_app_definition_in_the_repository_is_valid()
    {
        var definitions = PackageDefinitionLoader.LoadAll(new(RepositoryRoot.Path));

        definitions.Should().Contain(d => d.Name == "heartbeat" && d.Source == "apps/heartbeat/package.yml" && d.Service != null);
    }
}
