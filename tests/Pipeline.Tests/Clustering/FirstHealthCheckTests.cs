using FluentAssertions;
using Pipeline.Clustering;
using Pipeline.Tools.Docker;
using Xunit;

namespace Pipeline.Tests.Clustering;

public sealed class FirstHealthCheckTests
{
    private static HealthConfig Test(params string[] test) => new(test, 1_000_000_000, 3_000_000_000, 3, 0);

    [Fact]
    public void A_CMD_test_runs_as_its_argv_and_a_CMD_SHELL_test_through_sh()
    {
        FirstHealthCheck.Command(Test("CMD", "http-check", "8080", "/heartbeat")).Should().Equal("http-check", "8080", "/heartbeat");
        FirstHealthCheck
            .Command(Test("CMD-SHELL", "curl -fs localhost || exit 1"))
            .Should()
            .Equal("/bin/sh", "-c", "curl -fs localhost || exit 1");
    }

    [Fact]
    public void No_health_check_or_NONE_gives_nothing_to_run()
    {
        FirstHealthCheck.Command(null).Should().BeNull();
        FirstHealthCheck.Command(Test("NONE")).Should().BeNull();
        FirstHealthCheck.Command(Test()).Should().BeNull();
    }
}
