using FluentAssertions;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Rolling;
using System.Diagnostics;
using Xunit;

namespace Pipeline.Tests.Deploying;

/// <summary>The health gate's decisions over scripted checks (the real probe and Docker are in the deploy integration tests).</summary>
public class HealthGateTests
{
    private static readonly HealthCheckDefinition Check = new(
        "/heartbeat",
        null,
        TimeSpan.FromMilliseconds(5),
        TimeSpan.FromSeconds(1),
        2,
        3,
        TimeSpan.FromSeconds(60)
    );

    /// <summary>Answers each check from a script (the last answer repeats).</summary>
    private sealed class ScriptedProbe(params HealthVerdict[] script) : IHealthProbe
    {
        public int Checks { get; private set; }
        public Task<HealthVerdict> ProbeAsync(string address, HealthCheckDefinition check, CancellationToken ct) =>
            Task.FromResult(script[Math.Min(Checks++, script.Length - 1)]);
    }

    private static readonly HealthVerdict Reset = new(false, "GET /heartbeat: Connection reset by peer", Answered: false);
    private static readonly HealthVerdict Ok = new(true, "GET /heartbeat → 200");

    [Fact]
    public async Task A_container_healthy_inside_whose_port_resets_every_connection_fails_at_the_unhealthy_threshold_with_bind_hint()
    {
        var probe = new ScriptedProbe(Reset);
        var watch = Stopwatch.StartNew();

        var verdict = await new HealthGate(probe, Check, TimeSpan.Zero).WaitHealthyAsync("127.0.0.1:25302", CancellationToken.None, _ =>
            Task.FromResult<bool?>(true)
        );

        verdict.Healthy.Should().BeFalse();
        verdict
            .Detail.Should()
            .Be(
                "GET /heartbeat: Connection reset by peer (3 checks in a row on 127.0.0.1:25302) although the container reports itself "
                + "healthy: "
                    + "the app answers inside the container but not on its published port; if it listens on 127.0.0.1, listen on 0.0.0.0 "
                        + "inside the container (and check that ports/container is the port it listens on)"
            );
        probe.Checks.Should().Be(3);
        watch.Elapsed.Should().BeLessThan(Check.StartTimeout, "start_timeout is not waited out");
    }

    [Fact]
    public async Task Resets_while_the_container_is_still_starting_by_its_own_check_are_waited_for_and_the_instance_then_passes()
    {
        var probe = new ScriptedProbe(Reset, Reset, Reset, Reset, Reset, Ok);
        var selfChecks = 0;

        var verdict = await new HealthGate(probe, Check, TimeSpan.Zero).WaitHealthyAsync("127.0.0.1:25302", CancellationToken.None,
            _ => Task.FromResult<bool?>(++selfChecks >= 5)); // healthy inside from the fifth check on: the port answers at the sixth

        verdict.Should().Be(Ok);
        probe.Checks.Should().Be(7);
    }

    [Fact]
    public async Task Without_a_health_check_of_its_own_an_instance_that_never_answers_is_bounded_by_start_timeout_alone()
    {
        var check = Check with { StartTimeout = TimeSpan.FromMilliseconds(200) };

        var verdict = await new HealthGate(new ScriptedProbe(Reset), check, TimeSpan.Zero).WaitHealthyAsync(
            "127.0.0.1:25302",
            CancellationToken.None,
            _ => Task.FromResult<bool?>(null)
        );

        verdict.Detail.Should().Be("GET /heartbeat: Connection reset by peer (not healthy within start_timeout 0s)");
    }

    [Fact]
    public async Task The_contradiction_is_not_called_before_warmup_has_passed()
    {
        var probe = new ScriptedProbe(Reset);
        var watch = Stopwatch.StartNew();

        var verdict = await new HealthGate(probe, Check, TimeSpan.FromMilliseconds(300)).WaitHealthyAsync(
            "127.0.0.1:25302",
            CancellationToken.None,
            _ => Task.FromResult<bool?>(true)
        );

        verdict.Detail.Should().Contain(HealthGate.BindHint);
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
    }
}
