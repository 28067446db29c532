using FluentAssertions;
using Pipeline.IntegrationTests.Deploying;
using Pipeline.Tools.Ssh;
using System.Text;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.Ssh;

/// <summary>The build's one SSH client (SSH.NET) against a real sshd on 127.0.0.1:25326: reuse, streaming, quoting, a jump host.</summary>
public sealed class SshClientTests
{
    private const int SshPort = 25326;

    [Fact]
    public async Task Commands_share_one_connection_stream_stdin_and_stdout_and_keep_quoted_words_whole()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort);
        await using var connections = new SshConnections();
        var host = new SshHost(sshd.Target(), connections);

        var first = await host.RunAsync(["printf", "%s|", "a b", "it's", "$HOME", "*"], CancellationToken.None);
        var echoed = await host.RunAsync(["cat"], CancellationToken.None, "over stdin\n");
        var counted = new MemoryStream();
        await host.RunAsync(["wc", "-c"], async (stdin, ct) =>
        {
            var chunk = new byte[1 << 16];
            for (var i = 0; i < 64; i++) await stdin.WriteAsync(chunk, ct);
        }, async (stdout, ct) => await stdout.CopyToAsync(counted, ct), CancellationToken.None);
        var failed = await host.RunAsync(["sh", "-c", "echo oops >&2; exit 7"], CancellationToken.None, check: false);

        first.StandardOutput.Should().Be("a b|it's|$HOME|*|");
        echoed.StandardOutput.Should().Be("over stdin\n");
        Encoding
            .UTF8.GetString(counted.ToArray())
            .Trim()
            .Should()
            .Be((64 << 16).ToString(System.Globalization.CultureInfo.InvariantCulture));
        failed.Should().Be(new SshResult(7, "", "oops\n"));
        (await connections.GetAsync(sshd.Target(), CancellationToken.None))
            .Should()
            .BeSameAs(await connections.GetAsync(sshd.Target(), CancellationToken.None));
    }

    [Fact]
    public async Task A_host_is_reached_through_a_jump_host_whose_key_is_pinned_too()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort);
        await using var connections = new SshConnections();
        var bastion = new SshEndpoint("127.0.0.1", "root", SshPort);

        var result = await new SshHost(sshd.Target(jump: bastion), connections).RunAsync(["echo", "via bastion"], CancellationToken.None);
        var refused = () => new SshHost(sshd.Target(sshd.WrongKnownHosts, bastion), connections).RunAsync(["true"], CancellationToken.None);

        result.StandardOutput.Should().Be("via bastion\n");
        (await refused.Should().ThrowAsync<HostKeyRefusedException>())
            .Which.Message.Should()
            .StartWith($"ssh root@127.0.0.1:{SshPort}: host key ssh-ed25519 SHA256:");
    }
}
