using FluentAssertions;
using Xunit;

namespace Pipeline.IntegrationTests.Packaging;

[Collection(PackagingCollection.Name)]
public class PackageToolsTests(PackagesFixture fixture)
{
    [RootFact]
    public async Task Lintian_reports_no_errors_or_warnings()
    {
        var result = await Shell.TryAsync("lintian", "--no-cfg", "--fail-on", "error,warning", fixture.DebPath);

        result.StandardOutput.Split('\n').Should().NotContain(line => line.StartsWith("E: ") || line.StartsWith("W: "));
        result.ExitCode.Should().Be(0, result.StandardOutput + result.StandardError);
    }

    [RootFact]
    public async Task Dpkg_deb_reads_the_control_of_the_package()
    {
        var info = (await Shell.RunAsync("dpkg-deb", "--info", fixture.DebPath)).StandardOutput;

        info.Should().Contain(" Package: heartbeat\n").And.Contain($" Version: {fixture.Heartbeat.Version}\n");
        info.Should().Contain(" Depends: adduser, ");
        info.Should().MatchRegex(@"\bconffiles\b").And.MatchRegex(@"\* +postinst +#!/bin/sh");
    }

    [RootFact]
    public async Task Dpkg_deb_lists_every_file_owned_by_root_with_fixed_modes()
    {
        var lines = (await Shell.RunAsync("dpkg-deb", "--contents", fixture.DebPath)).StandardOutput.Trim().Split('\n');

        lines.Should().OnlyContain(line => line.Contains(" root/root "));
        lines.Should().Contain(line => line.StartsWith("-rwxr-xr-x root/root") && line.EndsWith(" ./usr/bin/heartbeat"));
        lines
            .Should()
            .Contain(line => line.StartsWith("-rw-r--r-- root/root") && line.EndsWith(" ./usr/lib/systemd/system/heartbeat.service"));
        lines.Should().Contain(line => line.EndsWith(" ./etc/default/heartbeat"));
    }

    [RootFact]
    public async Task The_scripts_pass_a_shell_syntax_check()
    {
        var control = Path.Combine(fixture.TemporaryDirectory, "control-check");
        if (Directory.Exists(control)) Directory.Delete(control, recursive: true);
        await Shell.RunAsync("dpkg-deb", "--control", fixture.DebPath, control);

        foreach (var script in new[] { "postinst", "prerm", "postrm" })
            (await Shell.TryAsync("sh", "-n", Path.Combine(control, script))).ExitCode.Should().Be(0, script);
    }
}
