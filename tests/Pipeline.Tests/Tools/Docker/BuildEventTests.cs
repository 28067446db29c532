using Docker.DotNet.Models;
using FluentAssertions;
using Pipeline.Tools.Docker;
using System.Text.Json;
using Xunit;

namespace Pipeline.Tests.Tools.Docker;

/// <summary>The engine's progress messages (as Docker.DotNet reads them) turned into build events and push digests.</summary>
public sealed class BuildEventTests
{
    [Fact]
    public void Build_progress_becomes_steps_cache_hits_containers_output_and_the_built_image()
    {
        var lines = new[]
        {
            """{"stream":"Step 1/3 : FROM base:abc"}""",
            """{"stream":"\n"}""",
            """{"stream":" ---\u003e 1a2b3c4d5e6f\n"}""",
            """{"stream":"Step 2/3 : RUN /bin/sh /context/0-shell.sh"}""",
            """{"stream":" ---\u003e Using cache\n ---\u003e 0123456789ab\n"}""",
            """{"stream":"Step 3/3 : RUN apt-get install -y curl"}""",
            """{"stream":" ---\u003e Running in 9f8e7d6c5b4a\n"}""",
            """{"stream":"Reading package lists...\nDone\n"}""",
            """{"stream":"Removing intermediate container 9f8e7d6c5b4a\n"}""",
            """{"aux":{"ID":"sha256:feedface"}}""",
            """{"stream":"Successfully built feedface\n"}""",
        };
        var events = lines.Select(Message).SelectMany(BuildEvent.From).ToList();
        events.Should().Equal(
            new BuildEvent.Step(1, 3, "FROM base:abc"),
            new BuildEvent.Layer("1a2b3c4d5e6f"),
            new BuildEvent.Step(2, 3, "RUN /bin/sh /context/0-shell.sh"),
            new BuildEvent.CacheHit(),
            new BuildEvent.Layer("0123456789ab"),
            new BuildEvent.Step(3, 3, "RUN apt-get install -y curl"),
            new BuildEvent.Container("9f8e7d6c5b4a"),
            new BuildEvent.Output("Reading package lists..."),
            new BuildEvent.Output("Done"),
            new BuildEvent.Built("sha256:feedface"));
    }

    [Fact]
    public void Standard_error_colouring_of_the_classic_builder_is_stripped() =>
        BuildEvent.From(Message("{\"stream\":\"\\u001b[91mboom\\n\\u001b[0m\"}")).Should().Equal(new BuildEvent.Output("boom"));

    [Fact]
    public void A_build_error_becomes_a_failure_with_the_engines_message()
    {
        var message = Message(
            """{"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' returned a non-zero code: 1"},"error":"The command '/bin/sh -c false' returned a non-zero code: 1"}"""
        );
        BuildEvent.From(message).Should().Equal(new BuildEvent.Failed("The command '/bin/sh -c false' returned a non-zero code: 1"));
    }

    [Fact]
    public void A_status_without_stream_is_output_named_by_its_layer() =>
        BuildEvent.From(Message("""{"status":"Downloading","id":"abc123"}""")).Should().Equal(new BuildEvent.Output("abc123: Downloading"));

    [Fact]
    public void The_pushed_digest_comes_from_aux_or_the_status_line()
    {
        var digest = "sha256:" + new string('a', 64);
        DockerClient
            .PushedDigest(Message("{\"progressDetail\":{},\"aux\":{\"Tag\":\"1\",\"Digest\":\"" + digest + "\",\"Size\":528}}"))
            .Should()
            .Be(digest);
        DockerClient.PushedDigest(Message($$"""{"status":"1: digest: {{digest}} size: 528"}""")).Should().Be(digest);
        DockerClient
            .PushedDigest(Message("""{"status":"Pushing","progressDetail":{"current":5,"total":10},"id":"abc"}"""))
            .Should()
            .BeNull();
    }

    private static JSONMessage Message(string json) => JsonSerializer.Deserialize<JSONMessage>(json)!;
}
