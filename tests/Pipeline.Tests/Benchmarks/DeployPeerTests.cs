using FluentAssertions;
using Pipeline.Benchmarks;
using Pipeline.Deploying.Definitions;
using System.Text.Json;
using Xunit;

namespace Pipeline.Tests.Benchmarks;

/// <summary>The deploy benchmark's load (hey's report) and its Ansible peer's inventory.</summary>
public class DeployPeerTests
{
    private const string HeyReport = """
        Summary:
          Total:	21.4210 secs
          Requests/sec:	196.4102

        Response time histogram:
          0.001 [1]	|
          0.029 [2]	|■■■■■■

        Status code distribution:
          [200]	4200 responses
          [503]	3 responses

        Error distribution:
          [2]	Get "http://127.0.0.1:25480/heartbeat": dial tcp 127.0.0.1:25480: connect: connection refused
          [1]	Get "http://127.0.0.1:25480/heartbeat": EOF
        """;

    [Fact]
    public void Every_answer_that_is_not_2xx_and_every_error_of_hey_counts_as_a_failed_request()
    {
        var result = PacedLoad.Parse(200, TimeSpan.FromSeconds(17), HeyReport);

        result.Requests.Should().Be(4206);
        result.Failed.Should().Be(6);
        result.Achieved.Should().BeApproximately(196.41, 0.01);
        result.Detail.Should().StartWith("3× HTTP 503; 2× Get \"http://127.0.0.1:25480/heartbeat\"");
    }

    [Fact]
    public void A_report_without_any_request_is_an_error_not_a_clean_run() =>
        FluentActions.Invoking(() => PacedLoad.Parse(200, TimeSpan.FromSeconds(1), "Summary:\n"))
            .Should().Throw<Pipeline.Engine.PipelineException>().WithMessage("*no request*");

    [Fact]
    public void The_ansible_inventory_names_each_host_as_haproxy_names_its_server_and_gives_it_pipelines_container()
    {
        var group = new GroupDefinition(
            "bench-deploy", "web", ProviderKind.Docker, "heartbeat", 2, new PortsDefinition(8080, 25482),
            new Dictionary<string, string> { ["MODE"] = "bench" }, new Dictionary<string, string>(),
            new HealthCheckDefinition("/heartbeat", null, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), 2, 3,
                TimeSpan.FromSeconds(20)),
            RollingPolicy.Default, null, new OutputsDefinition(null, null));

        using var inventory = JsonDocument.Parse(AnsibleRollingPeer.Inventory(group, "sha256:abc", "/run/admin.sock", "web"));

        var web = inventory.RootElement.GetProperty("web");
        web.GetProperty("vars").GetProperty("haproxy_socket").GetString().Should().Be("/run/admin.sock");
        var second = web.GetProperty("hosts").GetProperty("web-2");
        second.GetProperty("container").GetString().Should().Be("pipeline-bench-deploy-web-2");
        second.GetProperty("port").GetInt32().Should().Be(25483);
        second.GetProperty("container_env").GetProperty("MODE").GetString().Should().Be("bench");
        second.GetProperty("container_labels").GetProperty("pipeline.slot").GetString().Should().Be("2");
        second.GetProperty("container_labels").GetProperty("pipeline.image").GetString().Should().Be("sha256:abc");
    }

    [Fact]
    public void The_whole_deploy_command_names_the_same_group_health_gate_and_batches_as_the_engine_it_is_set_beside()
    {
        var root = Directory.CreateTempSubdirectory("bench-deploy-root-").FullName;
        try
        {
            var engine = DeployScenario.Group();
            DeployScenario.WholeDeploy(new Pipeline.Engine.AbsolutePath(root), engine, "sha256:" + new string('a', 64));

            var file = Path.Combine(root, "environments", "bench-deploy.yml");
            var group = EnvironmentDeployment.Load(file, "bench-deploy.yml", "bench-deploy").Group("web");
            (group.Image, group.Count, group.Ports).Should().Be((engine.Image, engine.Count, engine.Ports));
            group.Health.Should().Be(engine.Health);
            group.Rolling.Should().Be(engine.Rolling);
            File.ReadAllText(Path.Combine(root, "artifacts", "images.json")).Should().Contain("\"id\":\"sha256:aaaa");
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
