using FluentAssertions;
using Pipeline.Tools.Docker;
using Xunit;

namespace Pipeline.Tests.Tools.Docker;

public sealed class DockerStreamTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Multiplexed_logs_are_split_into_stdout_and_stderr_across_frames()
    {
        var bytes = LogDemultiplexer.Frame(LogStreamKind.StandardOutput, "one\n")
            .Concat(LogDemultiplexer.Frame(LogStreamKind.StandardError, "oops\n"))
            .Concat(LogDemultiplexer.Frame(LogStreamKind.StandardOutput, "two ✓\n")).ToArray();
        var output = await LogDemultiplexer.ReadAllAsync(new TrickleStream(bytes), Ct);
        output.StandardOutput.Should().Be("one\ntwo ✓\n");
        output.StandardError.Should().Be("oops\n");
    }

    [Fact]
    public async Task A_stream_cut_inside_a_frame_is_an_error()
    {
        var bytes = LogDemultiplexer.Frame(LogStreamKind.StandardOutput, "truncated")[..10];
        var act = () => LogDemultiplexer.ReadAllAsync(new MemoryStream(bytes), Ct);
        await act.Should().ThrowAsync<InvalidDataException>();
    }

    [Fact]
    public async Task A_tty_stream_is_recognised_as_not_multiplexed()
    {
        var act = () => LogDemultiplexer.ReadAllAsync(new MemoryStream("hello world\n"u8.ToArray()), Ct);
        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*TTY*");
    }

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
        var events = lines.Select(JsonMessage.Parse).SelectMany(BuildEvent.From).ToList();
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
        BuildEvent.From(JsonMessage.Parse("{\"stream\":\"\\u001b[91mboom\\n\\u001b[0m\"}")).Should().Equal(new BuildEvent.Output("boom"));

    [Fact]
    public void A_build_error_becomes_a_failure_with_the_engines_message()
    {
        var message = JsonMessage.Parse("""{"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' returned a non-zero code: 1"},"error":"The command '/bin/sh -c false' returned a non-zero code: 1"}""");
        BuildEvent.From(message).Should().Equal(new BuildEvent.Failed("The command '/bin/sh -c false' returned a non-zero code: 1"));
    }

    [Fact]
    public void The_pushed_digest_comes_from_aux_or_the_status_line()
    {
        var digest = "sha256:" + new string('a', 64);
        DockerClient.PushedDigest(JsonMessage.Parse("{\"progressDetail\":{},\"aux\":{\"Tag\":\"1\",\"Digest\":\"" + digest + "\",\"Size\":528}}")).Should().Be(digest);
        DockerClient.PushedDigest(JsonMessage.Parse($$"""{"status":"1: digest: {{digest}} size: 528"}""")).Should().Be(digest);
        DockerClient.PushedDigest(JsonMessage.Parse("""{"status":"Pushing","progressDetail":{"current":5,"total":10},"id":"abc"}""")).Should().BeNull();
    }

    [Fact]
    public async Task Progress_messages_are_read_one_a_line_and_non_json_lines_are_kept_as_text()
    {
        var stream = new MemoryStream("{\"status\":\"sha256:abc\"}\r\n\r\nnot json\r\n"u8.ToArray());
        var messages = new List<JsonMessage>();
        await foreach (var m in JsonMessage.ReadAllAsync(stream, Ct)) messages.Add(m);
        messages.Select(m => m.Status ?? m.Stream).Should().Equal("sha256:abc", "not json");
    }

    /// <summary>Hands out at most 3 bytes a read, as a socket may.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(3, buffer.Length)], cancellationToken);
    }
}
