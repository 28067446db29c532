using FluentAssertions;
using Pipeline.Tools.Ssh;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Pipeline.Tests.Tools.Ssh;

public sealed class KnownHostsTests
{
    private static readonly byte[] Pinned = Blob("ssh-ed25519", 1), Other = Blob("ssh-ed25519", 2);
    private static readonly SshEndpoint Web = new("10.0.0.5", "deploy"), WebOn2222 = new("10.0.0.5", "deploy", 2222);

    private static byte[] Blob(string type, byte fill)
    {
        var name = Encoding.ASCII.GetBytes(type);
        return [0, 0, 0, (byte)name.Length, .. name, 0, 0, 0, 32, .. Enumerable.Repeat(fill, 32)];
    }

    private static KnownHostsFile File(params string[] lines) => new("/repo/environments/staging.known_hosts", KnownHostsFile.Parse(lines));

    [Fact]
    public void A_pinned_key_is_accepted_on_its_host_and_port_only()
    {
        var file = File(
            "# comment",
            $"10.0.0.5,web.example.test ssh-ed25519 {Convert.ToBase64String(Pinned)} web",
            $"[10.0.0.5]:2222 ssh-ed25519 {Convert.ToBase64String(Other)}"
        );

        file.Refusal(Web, Pinned).Should().BeNull();
        file.Refusal(WebOn2222, Other).Should().BeNull();
        file.Refusal(WebOn2222, Pinned).Should().Be("is not the key pinned (changed) in");
        file.Refusal(Web, Other).Should().Be("is not the key pinned (changed) in");
        file.Refusal(new SshEndpoint("10.0.0.6", "deploy"), Pinned).Should().Be("is not pinned (unknown host) in");
    }

    [Fact]
    public void Hashed_wildcard_negated_and_revoked_entries_follow_OpenSSH()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("[10.0.0.5]:2222"));
        var file = File($"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)} ssh-ed25519 {Convert.ToBase64String(Pinned)}",
            $"10.1.*,!10.1.0.9 ssh-ed25519 {Convert.ToBase64String(Pinned)}",
            $"@revoked * ssh-ed25519 {Convert.ToBase64String(Other)}",
            $"@cert-authority * ssh-ed25519 {Convert.ToBase64String(Other)}");

        file.Refusal(WebOn2222, Pinned).Should().BeNull("the hashed name matches");
        file.Refusal(Web, Pinned).Should().Be("is not pinned (unknown host) in", "the hash is of [10.0.0.5]:2222, not 10.0.0.5");
        file.Refusal(new SshEndpoint("10.1.2.3", "deploy"), Pinned).Should().BeNull();
        file.Refusal(new SshEndpoint("10.1.0.9", "deploy"), Pinned).Should().Be("is not pinned (unknown host) in");
        file.Refusal(WebOn2222, Other).Should().Be("is marked @revoked in");
    }

    [Fact]
    public void A_refusal_is_one_line_with_the_fingerprint_seen_and_the_file_to_pin_it_in()
    {
        var e = new HostKeyRefusedException(
            WebOn2222,
            "ssh-ed25519",
            "abc123",
            "is not pinned (unknown host) in",
            "/repo/environments/staging.known_hosts"
        );

        e.Message.Should()
            .Be(
                "ssh deploy@10.0.0.5:2222: host key ssh-ed25519 SHA256:abc123 is not pinned (unknown host) in "
                + "/repo/environments/staging.known_hosts; "
                    + "refused and not added. Check that fingerprint out of band (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the "
                        + "host), then pin the key there as '[10.0.0.5]:2222 ssh-ed25519 …'."
            );
        e.Message.Should().NotContain("\n");
    }

    [Theory]
    [InlineData("ops@bastion:2222", "bastion", "ops", 2222)]
    [InlineData("bastion", "bastion", "me", 22)]
    [InlineData("ops@[::1]:22", "::1", "ops", 22)]
    public void Endpoints_parse_user_host_and_port(string text, string host, string user, int port) =>
        SshEndpoint.TryParse(text, "me").Should().Be(new SshEndpoint(host, user, port));

    [Theory]
    [InlineData("ops@")]
    [InlineData("ops@h:0")]
    [InlineData("a b")]
    [InlineData("ops@h:x")]
    public void Not_endpoints_are_refused(string text) => SshEndpoint.TryParse(text, "me").Should().BeNull();
}
