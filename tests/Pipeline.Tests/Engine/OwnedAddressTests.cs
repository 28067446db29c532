using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Xunit;

namespace Pipeline.Tests.Engine;

/// <summary>The one rule for "is this the local one?": a local service is meant only at the address it owns.</summary>
public sealed class OwnedAddressTests
{
    private static readonly OwnedAddress S3 = OwnedAddress.Tcp(23000);

    /// <summary>A service that cannot run (no such program): were it started, the start would fail.</summary>
    private static LocalService Unstartable(int probePort, params OwnedAddress[] addresses) =>
        new("unstartable", DummyExe.DotnetHost, ["/nonexistent/dummy.dll"], ReadinessProbe.Tcp(probePort)) { Addresses = addresses };

    [Theory]
    [InlineData("http://127.0.0.1:23000")]
    [InlineData("http://127.0.0.1:23000/")]
    [InlineData("http://localhost:23000")]
    [InlineData("127.0.0.1:23000")]
    public void An_endpoint_at_the_owned_port_on_127_0_0_1_is_the_local_service(string endpoint) =>
        S3.Matches(endpoint).Should().BeTrue();

    [Theory]
    [InlineData("http://127.0.0.1:23001")]
    [InlineData("http://127.0.0.1")]
    [InlineData("127.0.0.1:21500")]
    [InlineData("http://[::1]:23000")]
    public void Loopback_on_another_port_or_address_is_somebody_elses_service(string endpoint) =>
        S3.Matches(endpoint).Should().BeFalse();

    [Theory]
    [InlineData("https://s3.eu-central-1.amazonaws.com")]
    [InlineData("http://minio.example.test:23000")]
    [InlineData("registry.example.test:23000")]
    [InlineData("")]
    [InlineData(null)]
    public void A_remote_or_missing_endpoint_is_never_local(string? endpoint) =>
        S3.Matches(endpoint).Should().BeFalse();

    [Fact]
    public void A_socket_is_owned_by_its_path_with_or_without_the_unix_prefix()
    {
        var socket = OwnedAddress.UnixSocket(new AbsolutePath("/work/.nuke/temp/haproxy/admin.sock"));
        socket.Matches("unix:/work/.nuke/temp/haproxy/admin.sock").Should().BeTrue();
        socket.Matches("/work/.nuke/temp/haproxy/../haproxy/admin.sock").Should().BeTrue();
        socket.Matches("unix:/elsewhere/admin.sock").Should().BeFalse();
        socket.Matches(".nuke/temp/haproxy/admin.sock").Should().BeFalse("relative paths are rooted by the caller first");
        socket.Matches("127.0.0.1:25099").Should().BeFalse();
    }

    [Fact]
    public void A_service_owns_each_of_its_addresses_and_nothing_else()
    {
        var haproxy = Unstartable(25099, OwnedAddress.UnixSocket(new AbsolutePath("/r/admin.sock")), OwnedAddress.Tcp(25099));
        haproxy.Owns("unix:/r/admin.sock").Should().BeTrue();
        haproxy.Owns("127.0.0.1:25099").Should().BeTrue();
        haproxy.Owns("127.0.0.1:25080").Should().BeFalse();
        Unstartable(1).Owns("127.0.0.1:1").Should().BeFalse("a service declaring no address owns none");
    }

    [Theory]
    [InlineData("http://127.0.0.1:27190")]
    [InlineData("https://s3.example.test")]
    public async Task A_service_is_not_started_for_an_endpoint_it_does_not_own(string endpoint)
    {
        var manager = new LocalServiceManager(EngineHarness.NewRoot() / ".nuke" / "temp" / "services");
        var service = Unstartable(27189, OwnedAddress.Tcp(27189));

        (await manager.StartIfOwnedAsync(service, [endpoint], default)).Should().BeFalse();
        manager.Running().Should().BeEmpty();
    }

    [Fact]
    public async Task A_socket_that_already_answers_is_used_and_the_service_is_neither_made_nor_started()
    {
        var root = EngineHarness.NewRoot();
        var path = root / "admin.sock";
        using var listener = new System.Net.Sockets.Socket(
            System.Net.Sockets.AddressFamily.Unix,
            System.Net.Sockets.SocketType.Stream,
            System.Net.Sockets.ProtocolType.Unspecified
        );
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        listener.Listen();
        var manager = new LocalServiceManager(root / "services");
        var made = false;

        (
            await manager.StartIfOwnedAsync(
                [OwnedAddress.UnixSocket(path)],
                () =>
                {
                    made = true;
                    return Unstartable(27188);
                },
                [$"unix:{path}"],
                default
            )
        ).Should().BeTrue();
        made.Should().BeFalse("another process answers at the socket: a second one would take it over");
        manager.Running().Should().BeEmpty();
    }

    [Fact]
    public void A_port_outside_1_to_65535_is_refused() =>
        FluentActions.Invoking(() => OwnedAddress.Tcp(0)).Should().Throw<ArgumentOutOfRangeException>();
}
