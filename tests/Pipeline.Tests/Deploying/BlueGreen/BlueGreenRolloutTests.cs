using FluentAssertions;
using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Xunit;
using static Pipeline.Tests.Deploying.BlueGreen.BlueGreenPlanTests;
using static Pipeline.Tests.Deploying.GroupPlanTests;

namespace Pipeline.Tests.Deploying.BlueGreen;

/// <summary>The blue/green execution over in-memory colours, a probe that fails a chosen image, and a switch that records
/// where the records were pointed.</summary>
public sealed class BlueGreenRolloutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bluegreen-").FullName;
    private readonly Dictionary<Colour, InMemoryGroup> _colours = new() { [Colour.Blue] = new(), [Colour.Green] = new() };
    private readonly List<string> _timeline = [];
    private readonly Switches _switches;
    private readonly Clock _clock = new();
    private readonly GroupDefinition _group = BlueGreenGroup();
    private const string V3 = "127.0.0.1:21500/pipeline/heartbeat@sha256:ef56ef56ef56ef56ef56ef56ef56ef56ef56ef56ef56ef56ef56ef56ef56ef56";

    public BlueGreenRolloutTests() => _switches = new(_timeline);

    private BlueGreenRollout Rollout() => new(_group, g => _colours[g.Colour!.Value], _switches,
        new DeployJournal(Path.Combine(_directory, "journal.jsonl")), new AbsolutePath(Path.Combine(_directory, "colours.json")),
        (_, _) => Task.CompletedTask, new Probe(_colours), _clock);

    [Fact]
    public async Task Deploys_alternate_colours_keep_the_old_one_and_a_rollback_only_switches_back()
    {
        (await Rollout().DeployAsync(V1, new(), default)).Should().Match<DeployOutcome>(o => o.Succeeded && o.Live == "blue");
        var second = await Rollout().DeployAsync(V2, new(), default);
        second.Message.Should().Be("local/web: 2 × heartbeat@sha256:cd34cd34cd34… live on green, blue kept until 12:30:00 UTC");
        _colours[Colour.Blue].Instances.Should().OnlyContain(i => i.Image == V1).And.HaveCount(2);
        _switches.Log.Should().Equal("blue: web-blue-1,web-blue-2", "green: web-green-1,web-green-2");

        var events = _colours[Colour.Blue].Events.Count + _colours[Colour.Green].Events.Count;
        var back = await Rollout().DeployAsync(V2, new(Rollback: true), default);
        back.Should().Match<DeployOutcome>(o => o.Succeeded && o.Live == "blue");
        _switches.Log.Last().Should().Be("blue: web-blue-1,web-blue-2");
        (_colours[Colour.Blue].Events.Count + _colours[Colour.Green].Events.Count).Should().Be(events, "a rollback starts nothing");

        _clock.Now = _clock.Now.AddMinutes(31);
        var late = await Rollout().DeployAsync(V2, new(Rollback: true), default);
        late.Succeeded.Should().BeFalse();
        late.Message.Should().Contain("cannot roll back to green").And.EndWith("; live blue, the dns: records unchanged");
    }

    [Fact]
    public async Task A_machine_without_the_state_file_follows_the_records_in_the_zone_and_can_still_switch_back()
    {
        await Rollout().DeployAsync(V1, new(), default);
        await Rollout().DeployAsync(V2, new(), default);
        File.Delete(Path.Combine(_directory, "colours.json"));

        (await Rollout().MembersAsync(default)).Select(m => m.Name).Should().Equal("web-green-1", "web-green-2");
        var again = await Rollout().DeployAsync(V2, new(), default);

        again.Message.Should().Be("local/web: up to date on green (2 × heartbeat@sha256:cd34cd34cd34…)");
        _switches.Log.Should().HaveCount(2, "nothing was switched");
        var back = await Rollout().DeployAsync(V2, new(Rollback: true), default);
        back.Should().Match<DeployOutcome>(o => o.Succeeded && o.Live == "blue");
    }

    [Fact]
    public async Task A_fresh_runner_deploys_to_the_colour_the_records_do_not_point_at_and_never_stops_the_live_one()
    {
        await Rollout().DeployAsync(V1, new(), default);
        await Rollout().DeployAsync(V2, new(), default);
        await Rollout().DeployAsync(V2, new(Rollback: true), default);
        File.Delete(Path.Combine(_directory, "colours.json"));
        var live = _colours[Colour.Blue].Events.Count;

        var outcome = await Rollout().DeployAsync(V3, new(), default);

        outcome.Message.Should().Be("local/web: 2 × heartbeat@sha256:ef56ef56ef56… live on green, blue kept until 12:30:00 UTC");
        _colours[Colour.Blue].Events.Should().HaveCount(live, "the live colour is neither stopped nor replaced");
        _colours[Colour.Green].Instances.Should().OnlyContain(i => i.Image == V3).And.HaveCount(2);
    }

    [Fact]
    public async Task A_fresh_runner_refuses_a_rollback_in_one_line_when_no_other_colour_runs()
    {
        await Rollout().DeployAsync(V1, new(), default);
        File.Delete(Path.Combine(_directory, "colours.json"));

        var back = await Rollout().DeployAsync(V1, new(Rollback: true), default);

        back.Succeeded.Should().BeFalse();
        back.Message.Should().Be("local/web: groups/web: cannot roll back: no old colour was kept (live blue); deploy the previous "
            + "image instead; live blue, the dns: records unchanged");
        _switches.Log.Should().HaveCount(1, "nothing was switched");
    }

    [Fact]
    public async Task A_colour_failing_its_health_gate_is_removed_and_the_records_stay_on_the_live_one()
    {
        await Rollout().DeployAsync(V1, new(), default);
        _colours[Colour.Green].UnhealthyImages.Add(V2);

        var outcome = await Rollout().DeployAsync(V2, new(), default);

        outcome.Succeeded.Should().BeFalse();
        outcome.Message.Should().StartWith("local/web: web-green-").And.Contain("failed its health gate (GET /heartbeat → 503")
            .And.EndWith("removed the 2 instance(s) started in green; live blue, the dns: records unchanged");
        _colours[Colour.Green].Instances.Should().BeEmpty();
        _switches.Log.Should().Equal("blue: web-blue-1,web-blue-2");
    }

    [Fact]
    public async Task After_keep_the_next_deploy_removes_the_old_colour()
    {
        await Rollout().DeployAsync(V1, new(), default);
        await Rollout().DeployAsync(V2, new(), default);
        _clock.Now = _clock.Now.AddMinutes(30);

        var outcome = await Rollout().DeployAsync(V2, new(), default);

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        _colours[Colour.Blue].Instances.Should().BeEmpty();
        _colours[Colour.Green].Instances.Should().HaveCount(2);
        (await Rollout().MembersAsync(default)).Select(m => m.Name).Should().Equal("web-green-1", "web-green-2");
    }

    [Fact]
    public async Task The_new_colour_is_readied_before_the_switch_and_the_old_one_is_released_before_it_stops()
    {
        Follow();
        await Rollout().DeployAsync(V1, new(), default);
        _timeline.Clear();
        await Rollout().DeployAsync(V2, new(), default);
        _timeline.Where(e => !e.StartsWith("start", StringComparison.Ordinal)).Should()
            .Equal("prepare green: web-green-1,web-green-2", "prepare green: web-green-1,web-green-2", "switch green");

        _clock.Now = _clock.Now.AddMinutes(30);
        _timeline.Clear();
        (await Rollout().DeployAsync(V2, new(), default)).Succeeded.Should().BeTrue();
        _timeline.Should().Equal("release blue: web-blue-1,web-blue-2", "stop web-blue-1", "stop web-blue-2");
    }

    [Fact]
    public async Task A_colour_the_switch_cannot_ready_is_released_and_removed_and_the_traffic_stays()
    {
        Follow();
        await Rollout().DeployAsync(V1, new(), default);
        _switches.PrepareFails = true;
        _timeline.Clear();

        var outcome = await Rollout().DeployAsync(V2, new(), default);

        outcome.Succeeded.Should().BeFalse();
        outcome.Message.Should().Be("local/web: web-green-1: not ready; removed the 2 instance(s) started in green; live blue, "
            + "the dns: records unchanged");
        _timeline.SkipWhile(e => !e.StartsWith("release", StringComparison.Ordinal)).Should()
            .Equal("release green: web-green-1,web-green-2", "stop web-green-1", "stop web-green-2");
        _switches.Log.Should().Equal("blue: web-blue-1,web-blue-2");
    }

    [Fact]
    public async Task A_load_balancer_that_lost_the_live_colour_is_switched_back_to_it_by_the_next_deploy()
    {
        await Rollout().DeployAsync(V1, new(), default);
        await Rollout().DeployAsync(V2, new(), default);
        _switches.Forgotten = true;

        var outcome = await Rollout().DeployAsync(V2, new(), default);

        outcome.Message.Should().Be("local/web: up to date on green (2 × heartbeat@sha256:cd34cd34cd34…)");
        _switches.Forgotten.Should().BeFalse();
        _switches.Log.Last().Should().Be("green: web-green-1,web-green-2");
        _colours[Colour.Green].Instances.Should().OnlyContain(i => i.Image == V2);
    }

    /// <summary>Puts the colours' starts and stops on the same timeline as the switch's calls.</summary>
    private void Follow()
    {
        foreach (var colour in _colours.Values)
            colour.OnEvent = e =>
            {
                lock (_timeline) _timeline.Add(string.Join(' ', e.Split(' ').Take(2)));
                return Task.CompletedTask;
            };
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A switch that notes its calls on the timeline; <see cref="Log"/> holds where each switch sent the traffic.</summary>
    private sealed class Switches(List<string> timeline) : IColourSwitch
    {
        public List<string> Log { get; } = [];
        public bool PrepareFails { get; set; }
        /// <summary>A restarted load balancer: the traffic goes to no colour until the next switch.</summary>
        public bool Forgotten { get; set; }
        public void Check(GroupDefinition group) { }

        public Task PrepareAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
        {
            Note($"prepare {colour.Lower()}: {Names(members)}");
            return PrepareFails ? throw new PipelineException($"{members[0].Name}: not ready") : Task.CompletedTask;
        }

        public Task SwitchAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
        {
            Note($"switch {colour.Lower()}");
            Log.Add($"{members[0].Name.Split('-')[1]}: {Names(members)}");
            Forgotten = false;
            return Task.CompletedTask;
        }

        public Task ReleaseAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
        {
            Note($"release {colour.Lower()}: {Names(members)}");
            return Task.CompletedTask;
        }

        /// <summary>The zone: where the last switch pointed the records.</summary>
        public Task<Colour?> LiveAsync(GroupDefinition group, CancellationToken ct) =>
            Task.FromResult(Log.Count == 0 || Forgotten ? (Colour?)null : Enum.Parse<Colour>(Log[^1].Split(':')[0], ignoreCase: true));

        private void Note(string call) { lock (timeline) timeline.Add(call); }
        private static string Names(IReadOnlyList<ObservedInstance> members) => string.Join(",", members.Select(m => m.Name));
    }

    /// <summary>The in-memory colours share mem:slot addresses, so the probe asks each colour that runs something and fails
    /// when any of their instances there is unhealthy.</summary>
    private sealed class Probe(Dictionary<Colour, InMemoryGroup> colours) : IHealthProbe
    {
        public async Task<HealthVerdict> ProbeAsync(string address, HealthCheckDefinition check, CancellationToken ct)
        {
            HealthVerdict last = new(false, "nothing there");
            foreach (var colour in colours.Values.Where(c => c.Instances.Count > 0))
            {
                last = await colour.ProbeAsync(address, check, ct);
                if (!last.Healthy) return last;
            }
            return last;
        }
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = BlueGreenPlanTests.Now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
