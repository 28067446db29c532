using FluentAssertions;
using Pipeline.Packaging.Building;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class SystemdUnitTests
{
    private static readonly string Unit = SystemdUnit.Render(SamplePackage.Definition);

    [Theory]
    [InlineData("User=heartbeat")]
    [InlineData("Group=heartbeat")]
    [InlineData("EnvironmentFile=-/etc/default/heartbeat")]
    [InlineData("ExecStart=/usr/bin/heartbeat")]
    [InlineData("KillSignal=SIGTERM")]
    [InlineData("TimeoutStopSec=20")]
    [InlineData("Restart=on-failure")]
    [InlineData("StateDirectory=heartbeat")]
    [InlineData("After=network-online.target")]
    [InlineData("WantedBy=multi-user.target")]
    public void Runs_the_executable_as_the_service_user_with_the_environment_file(string line) =>
        Unit.Split('\n').Should().Contain(line);

    [Fact]
    public void Passes_arguments_after_the_executable() =>
        SystemdUnit
            .Render(SamplePackage.Definition with { Service = SamplePackage.Definition.Service! with { Arguments = ["--verbose", "x=1"] } })
            .Should()
            .Contain("ExecStart=/usr/bin/heartbeat --verbose x=1\n");

    [Fact]
    public void Is_installed_under_usr_lib_systemd() =>
        SystemdUnit.PathOf("heartbeat").Should().Be("/usr/lib/systemd/system/heartbeat.service");
}
