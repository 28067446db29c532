using System.Text;
using System.Text.Json;
using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Docker;
using Xunit;

namespace Pipeline.Tests.Tools.Docker;

public sealed class DockerRequestTests
{
    [Theory]
    [InlineData(null, "unix:///var/run/docker.sock")]
    [InlineData("", "unix:///var/run/docker.sock")]
    [InlineData("unix:///run/user/1000/docker.sock", "unix:///run/user/1000/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375")]
    public void DOCKER_HOST_names_a_unix_socket_or_a_loopback_port(string? value, string expected) =>
        DockerEndpoint.Parse(value).ToString().Should().Be(expected);

    [Theory]
    [InlineData("tcp://10.0.0.5:2375")]
    [InlineData("ssh://host")]
    [InlineData("unix://")]
    public void DOCKER_HOST_elsewhere_is_refused_with_a_usage_error(string value) =>
        FluentActions.Invoking(() => DockerEndpoint.Parse(value)).Should().Throw<UsageException>().WithMessage("DOCKER_HOST=*");

    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.43", "1.41")]
    [InlineData("1.40", "1.40")]
    public void The_api_version_is_the_lower_of_the_engines_and_ours(string engine, string used) =>
        DockerClient.Negotiate(engine).Should().Be(used);

    [Fact]
    public void An_engine_older_than_api_1_25_is_refused() =>
        FluentActions.Invoking(() => DockerClient.Negotiate("1.24")).Should().Throw<PipelineException>();

    [Fact]
    public void Build_sends_tags_labels_and_removes_failed_containers_unless_asked_to_keep_them()
    {
        var request = ImageRequests.Build(new MemoryStream(), new BuildOptions
        {
            Tags = ["base:1", "base:abc"],
            Labels = new Dictionary<string, string> { ["pipeline.hash"] = "abc" },
        });
        request.Method.Should().Be(HttpMethod.Post);
        request.ContentType.Should().Be("application/x-tar");
        request.PathAndQuery("1.41").Should().Be(
            "/v1.41/build?dockerfile=Dockerfile&rm=1&forcerm=1&nocache=0&t=base%3A1&t=base%3Aabc&labels=%7B%22pipeline.hash%22%3A%22abc%22%7D");
        ImageRequests.Build(new MemoryStream(), new BuildOptions { KeepFailedContainer = true }).Query.Should().Contain(new KeyValuePair<string, string>("forcerm", "0"));
    }

    [Fact]
    public void Import_reads_the_tarball_from_the_body_with_dockerfile_changes()
    {
        var request = ImageRequests.Import(new MemoryStream(), "base-root", "bookworm", ["CMD [\"bash\"]"]);
        request.PathAndQuery().Should().Be("/images/create?fromSrc=-&repo=base-root&tag=bookworm&changes=CMD%20%5B%22bash%22%5D");
    }

    [Fact]
    public void Push_sends_the_credentials_base64url_encoded_in_X_Registry_Auth()
    {
        var request = ImageRequests.Push("127.0.0.1:5000/app", "1", new RegistryAuth("me", "s3cret?>", "127.0.0.1:5000"));
        request.PathAndQuery().Should().Be("/images/127.0.0.1%3A5000/app/push?tag=1");
        var header = request.Headers["X-Registry-Auth"];
        header.Should().NotContainAny("+", "/");
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/')));
        json.Should().Be("{\"username\":\"me\",\"password\":\"s3cret?\\u003E\",\"serveraddress\":\"127.0.0.1:5000\"}");
        ImageRequests.Push("app", "1").Headers["X-Registry-Auth"].Should().Be("e30=");
    }

    [Fact]
    public void Image_list_filters_by_label_and_reference()
    {
        var request = ImageRequests.List(["pipeline.image=base"], ["base"]);
        Uri.UnescapeDataString(request.PathAndQuery()).Should().Be("/images/json?filters={\"label\":[\"pipeline.image=base\"],\"reference\":[\"base\"]}");
        ImageRequests.List().PathAndQuery().Should().Be("/images/json");
    }

    [Fact]
    public void Container_create_carries_ports_on_loopback_env_labels_healthcheck_and_network()
    {
        var request = ContainerRequests.Create(new ContainerSpec("heartbeat:abc")
        {
            Name = "hb-1",
            Env = new Dictionary<string, string> { ["HEARTBEAT_PORT"] = "8080" },
            Labels = new Dictionary<string, string> { ["pipeline"] = "1" },
            Ports = [new PortMapping(8080, 20080)],
            Healthcheck = new HealthcheckSpec(["CMD", "curl", "-f", "http://127.0.0.1:8080/heartbeat"]) { Interval = TimeSpan.FromSeconds(2) },
            Network = "pipeline-net",
            NetworkAliases = ["hb"],
        });
        request.PathAndQuery().Should().Be("/containers/create?name=hb-1");
        var body = JsonDocument.Parse(request.Json!).RootElement;
        body.GetProperty("Image").GetString().Should().Be("heartbeat:abc");
        body.GetProperty("Env")[0].GetString().Should().Be("HEARTBEAT_PORT=8080");
        body.GetProperty("ExposedPorts").TryGetProperty("8080/tcp", out _).Should().BeTrue();
        var binding = body.GetProperty("HostConfig").GetProperty("PortBindings").GetProperty("8080/tcp")[0];
        binding.GetProperty("HostIp").GetString().Should().Be("127.0.0.1");
        binding.GetProperty("HostPort").GetString().Should().Be("20080");
        body.GetProperty("HostConfig").GetProperty("NetworkMode").GetString().Should().Be("pipeline-net");
        body.GetProperty("Healthcheck").GetProperty("Interval").GetInt64().Should().Be(2_000_000_000);
        body.GetProperty("NetworkingConfig").GetProperty("EndpointsConfig").GetProperty("pipeline-net").GetProperty("Aliases")[0].GetString().Should().Be("hb");
    }

    [Fact]
    public void Stop_rounds_the_timeout_up_to_whole_seconds() =>
        ContainerRequests.Stop("abc", TimeSpan.FromMilliseconds(1500)).PathAndQuery().Should().Be("/containers/abc/stop?t=2");

    [Fact]
    public void Engine_errors_are_read_from_the_message_field()
    {
        DockerClient.ErrorText("{\"message\":\"No such image: x:1\"}\n").Should().Be("No such image: x:1");
        DockerClient.ErrorText("plain text").Should().Be("plain text");
    }
}
