using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Deploying.Locking;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Tools.Docker;

namespace Pipeline.Deploying;

/// <summary>
/// Connects a group's definition to the outside world: its provider, its load balancer, its journal; and an
/// environment to its lock store. Relative paths in the environment file are relative to the repository root.
/// </summary>
public sealed class GroupTarget(string root) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public string JournalPath(GroupDefinition group) => Path.Combine(root, ".nuke", "temp", "deploy", group.Environment, $"{group.Name}.journal.jsonl");

    public IInstanceProvider Provider(GroupDefinition group) => group.Provider switch
    {
        ProviderKind.Docker => new DockerProvider(Own(new DockerClient(DockerEndpoint.Parse(group.Docker!.Host))), group),
        _ => throw new PipelineException($"groups/{group.Name}: the {Naming(group.Provider)} provider is not available for rolling deploys in this build (issue #7)"),
    };

    public ILoadBalancer LoadBalancer(GroupDefinition group) => group.LoadBalancer is { } lb
        ? new HaproxyLoadBalancer(new HaproxyRuntimeApi(lb.Socket is { } s ? $"unix:{Rooted(s)}" : lb.Address!), lb.Backend, group.Health.Path, group.Health.Interval)
        : new NoLoadBalancer();

    /// <summary>The lock lives where every deployer of the environment sees it: on the docker host (this machine, for a
    /// local socket) as a file.</summary>
    public ILockStore LockStore(EnvironmentDeployment environment) =>
        new FileLockStore(Path.Combine(Rooted(environment.Lock.Directory), $"{environment.Environment}.deploy.lock"));

    public string Rooted(string path) => Path.IsPathRooted(path) ? path : Path.Combine(root, path);

    private T Own<T>(T disposable) where T : IDisposable { _owned.Add(disposable); return disposable; }
    private static string Naming(ProviderKind kind) => Engine.Parameters.Naming.Kebab(kind.ToString());

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
    }
}
