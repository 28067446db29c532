using FluentAssertions;
using Pipeline.Deploying.Outputs;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Etcd;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.Etcd;

/// <summary>
/// The v3 JSON gateway client against a real etcd (Debian's etcd-server) started once for the class on 127.0.0.1:24381
/// (peer 24382) with a throw-away data directory (one per test raced: a stopping etcd could answer the next one's probe,
/// whose own etcd then found the port taken).
/// </summary>
public sealed class EtcdClientTests(EtcdClientTests.Etcd etcd) : IClassFixture<EtcdClientTests.Etcd>
{
    private const int ClientPort = 24381;

    /// <summary>The etcd of the class and the client's HttpClient.</summary>
    public sealed class Etcd : IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("test-etcd-client-").FullName;
        private LocalServiceManager? _services;

        public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false });

        public async Task InitializeAsync()
        {
            _services = new LocalServiceManager(new AbsolutePath(Path.Combine(_directory, "services")));
            await _services.StartAsync(EtcdService.Spec(_directory, ClientPort, ClientPort + 1), CancellationToken.None);
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            if (_services is not null) await _services.StopAllAsync(CancellationToken.None);
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }

    private EtcdClient Client => new(etcd.Http, new Uri($"http://127.0.0.1:{ClientPort}"));

    [Fact]
    public async Task Keys_put_under_a_prefix_are_listed_without_those_of_a_neighbouring_prefix_and_a_deleted_one_is_gone()
    {
        await Client.SendAsync(EtcdRequests.Put("/p/web/web-1", "127.0.0.1:1"), CancellationToken.None);
        await Client.SendAsync(EtcdRequests.Put("/p/web/web-2", "127.0.0.1:2"), CancellationToken.None);
        await Client.SendAsync(EtcdRequests.Put("/p/web0", "not under the prefix"), CancellationToken.None);

        (await Client.KeysAsync("/p/web/", CancellationToken.None)).Should().Equal("/p/web/web-1", "/p/web/web-2");

        await Client.SendAsync(EtcdRequests.Delete("/p/web/web-1"), CancellationToken.None);
        (await Client.KeysAsync("/p/web/", CancellationToken.None)).Should().Equal("/p/web/web-2");
    }

    [Fact]
    public async Task A_request_the_gateway_refuses_fails_with_its_path_and_answer()
    {
        var act = () => Client.SendAsync(new EtcdRequest("/v3/kv/nonsense", []), CancellationToken.None);

        await act.Should().ThrowAsync<PipelineException>().WithMessage($"etcd http://127.0.0.1:{ClientPort}/: /v3/kv/nonsense answered *");
    }

    [Fact]
    public async Task An_endpoint_where_nothing_listens_fails_with_one_line_naming_it()
    {
        var act = () => new EtcdClient(etcd.Http, new Uri("http://127.0.0.1:9")).KeysAsync("/p/", CancellationToken.None);

        await act.Should().ThrowAsync<PipelineException>().WithMessage("etcd http://127.0.0.1:9/ does not answer (*); is it running?");
    }
}
