using Pipeline.Benchmarks;
using Pipeline.Deploying;
using Pipeline.Tools.Docker;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// The real Docker engine and three stand-in heartbeat images (v1, v2, and a v2 whose health check fails), imported
/// once for the collection and removed at the end.
/// </summary>
public sealed class DeployFixture : IAsyncLifetime
{
    public const string Repository = "pipeline-test-deploy/heartbeat";
    public DockerClient Docker { get; } = new();
    public string V1 { get; private set; } = "";
    public string V2 { get; private set; } = "";
    public string BadV2 { get; private set; } = "";
    /// <summary>A v2 that starts healthy and answers 500 to 20% of its <c>/cgi-bin/work</c> requests (the canary tests).</summary>
    public string FailingV2 { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Pipeline.IntegrationTests.Tools.Docker.LocalEngine.EnsureRunningAsync(Docker, CancellationToken.None);
        var tag = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        V1 = await HeartbeatStandIn.BuildAsync(Docker, Repository, $"v1-{tag}", "v1", healthy: true, CancellationToken.None);
        V2 = await HeartbeatStandIn.BuildAsync(Docker, Repository, $"v2-{tag}", "v2", healthy: true, CancellationToken.None);
        BadV2 = await HeartbeatStandIn.BuildAsync(Docker, Repository, $"bad-{tag}", "v2-bad", healthy: false, CancellationToken.None);
        FailingV2 = await HeartbeatStandIn.BuildAsync(Docker, Repository, $"failing-{tag}", "v2-failing", healthy: true,
            CancellationToken.None, failPercent: 20);
    }

    public async Task DisposeAsync()
    {
        foreach (var id in new[] { V1, V2, BadV2, FailingV2 }.Where(i => i.Length > 0))
            await Docker.RemoveImageAsync(id, force: true, CancellationToken.None);
        Docker.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DeployCollection : ICollectionFixture<DeployFixture>
{
    public const string Name = "rolling deploys (docker + haproxy)";
}
