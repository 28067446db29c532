using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Cloud;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Deploying.Locking;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Deploying.Ssh;
using Pipeline.Engine;
using Pipeline.Tools.Aws;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Gcp;
using Pipeline.Tools.Haproxy;
using Pipeline.Tools.S3;
using Pipeline.Tools.Ssh;

namespace Pipeline.Deploying;

/// <summary>
/// Connects a group's definition to the outside world: its provider, its load balancer, its journal; and an
/// environment to its lock store. Relative paths in the environment file are relative to the repository root. The
/// deployment passes its image resolver, so artifacts/published.json is read once per run.
/// </summary>
public sealed class GroupTarget(DeployLayout layout, ImageResolver? images = null) : IAsyncDisposable
{
    /// <summary>How <c>blue_green: dns</c> groups switch their dns: records (the Dns concern's step; none without a dns:
    /// section).</summary>
    public IColourSwitch Records { get; init; } = new NoRecordSwitch();

    private readonly List<IDisposable> _owned = [];
    private readonly Dictionary<string, SshHost> _ssh = [];
    private readonly SshConnections _connections = new();

    public string JournalPath(GroupDefinition group) => layout.Journal(group);

    public IInstanceProvider Provider(GroupDefinition group) =>
        group.Provider switch
        {
            ProviderKind.Docker => new DockerProvider(Own(new DockerClient(DockerEndpoint.Parse(group.Docker!.Host))), group),
            ProviderKind.Ssh => new SshDockerProvider(
                group,
                SshHosts(group),
                SshImageDelivery.From(images ??= new ImageResolver(layout.Artifacts), group.Image, Rooted)
            ),
            _ => throw new PipelineException(
                $"groups/{group.Name}: the {Naming(group.Provider)} provider is not available for rolling deploys in this build (issue #7)"
            ),
        };

    /// <summary>The group's rollout strategy, chosen here once by its provider kind (the only place that looks at it).</summary>
    public IGroupRollout Rollout(GroupDefinition group) => group.Provider switch
    {
        ProviderKind.AwsAsg => AwsRollout(group),
        ProviderKind.GcpMig => GcpRollout(group),
        _ when group.BlueGreen is not null => new BlueGreenRollout(group, Provider, ColourSwitch(group),
            new DeployJournal(JournalPath(group)), ColourState.PathOf(layout, group), HostAuditSink(group)),
        _ when group.Canary is not null => CanaryRollout(group),
        _ => new RollingRollout(group, Provider(group), LoadBalancer(group), new DeployJournal(JournalPath(group)), HostAuditSink(group)),
    };

    /// <summary>How a blue/green group's traffic moves: its dns: records, or HAProxy's map between the colours' backends.</summary>
    private IColourSwitch ColourSwitch(GroupDefinition group) => group.BlueGreen!.Switch == BlueGreenSwitch.Dns
        ? Records
        : new HaproxyColourSwitch(RuntimeApi(group.LoadBalancer!), group.LoadBalancer!,
            colour => LoadBalancer(group, group.LoadBalancer!.ColourBackend(colour)));

    /// <summary>A canary group: its canary and baseline fleets in the group's backend, then the group's own rolling rollout.</summary>
    private Canary.CanaryRollout CanaryRollout(GroupDefinition group)
    {
        var lb = group.LoadBalancer!;
        var api = RuntimeApi(lb);
        var journal = new DeployJournal(JournalPath(group));
        var gate = new HealthGate(new HttpHealthProbe(), group.Health, group.Rolling.Warmup);
        Canary.CanaryFleet Fleet(string role)
        {
            var view = group.Canary!.View(group, role);
            return new(view, Provider(view), LoadBalancer(group), api, lb.Backend, gate, journal);
        }
        var provider = Provider(group);
        return new Canary.CanaryRollout(group, Fleet("canary"), Fleet("baseline"), provider, api, journal,
            new RollingRollout(group, provider, LoadBalancer(group), journal, HostAuditSink(group)));
    }

    /// <summary>Where a rolling group's hosts keep the audit line (outputs/host_audit_log): each ssh host, or this machine.</summary>
    private Func<string, CancellationToken, Task> HostAuditSink(GroupDefinition group) => group.Provider == ProviderKind.Ssh
        ? async (line, ct) =>
        {
            foreach (var host in SshHosts(group)) await SshLockStore.AppendAsync(host, group.Outputs.HostAuditLog!, line, ct);
        }
    : (line, ct) => MaskedFile.AppendAllTextAsync(Rooted(group.Outputs.HostAuditLog!), line + "\n", ct);

    /// <summary>The group's backend in its load balancer (<paramref name="backend"/>: one colour's instead).</summary>
    public ILoadBalancer LoadBalancer(GroupDefinition group, string? backend = null) =>
        group.LoadBalancer is { } lb
            ? new HaproxyLoadBalancer(RuntimeApi(lb), backend ?? lb.Backend, group.Health.Path, group.Health.Interval)
            : new NoLoadBalancer();

    private HaproxyRuntimeApi RuntimeApi(LoadBalancerDefinition lb) => new(lb.Socket is { } s ? $"unix:{Rooted(s)}" : lb.Address!);

    /// <summary>The ssh hosts of a group, with its pinned known_hosts file; one pooled connection per host for this target's
    /// life.</summary>
    public IReadOnlyList<SshHost> SshHosts(GroupDefinition group) => group.Ssh!.Hosts
        .Select(h => SshTargetOf(group.Ssh, h))
        .Select(t => _ssh.TryGetValue(t.Key, out var known) ? known : _ssh[t.Key] = new SshHost(t, _connections))
        .ToList();

    private SshTarget SshTargetOf(SshHostsDefinition ssh, string host) =>
        new(new SshEndpoint(host, ssh.User, ssh.Port), Rooted(ssh.KnownHosts), Identity(ssh.Identity), ssh.Jump);

    /// <summary>A key file (relative to the root, ~ for home), or the key's text as given by a secret parameter.</summary>
    private string? Identity(string? identity) =>
        identity is null || identity.Contains("-----BEGIN", StringComparison.Ordinal) ? identity : Rooted(Home(identity));

    /// <summary>
    /// The lock lives where every deployer of the environment sees it: with an ssh group, a file on its first host;
    /// otherwise a file on the docker host (this machine, for a local socket).
    /// </summary>
    public ILockStore LockStore(EnvironmentDeployment environment)
    {
        var file = $"{environment.Environment}.deploy.lock";
        if (environment.Groups.FirstOrDefault(g => g.Provider == ProviderKind.Ssh) is { } ssh)
            return new SshLockStore(SshHosts(ssh)[0], Path.Combine(environment.Lock.Directory, file));
        if (environment.Lock is { S3Bucket: { } bucket, S3Key: { } key } l)
        {
            var credentials = AwsCredentials.FromEnvironment();
            var endpoint = new S3Endpoint(l.S3Endpoint ?? $"https://s3.{l.S3Region}.amazonaws.com", l.S3Region, l.S3Endpoint is not null,
                credentials.AccessKeyId, credentials.SecretAccessKey)
            { SessionToken = credentials.SessionToken };
            return new ObjectStoreLockStore(Own(new S3ObjectStore(endpoint, bucket)), key, $"s3://{bucket}");
        }
        if (environment.Groups.Any(g => g.Provider is ProviderKind.AwsAsg or ProviderKind.GcpMig))
            throw new UsageException(
                $"environments/{environment.Environment}.yml: lock: cloud groups need an S3 lock (lock/s3_bucket and lock/s3_key)"
            );
        return new FileLockStore(Path.Combine(Rooted(environment.Lock.Directory), file));
    }

    private static string Home(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    public string Rooted(string path) => layout.Resolve(path);

    /// <summary>The aws-asg rollout of a group: SigV4-signed Query API calls to AWS (or the group's endpoint).</summary>
    public AwsAsgRollout AwsRollout(GroupDefinition group)
    {
        var aws = group.Aws!;
        var credentials = AwsCredentials.FromEnvironment();
        var http = Own(new HttpClient());
        Uri Endpoint(string service) => new(aws.Endpoint ?? $"https://{service}.{aws.Region}.amazonaws.com/");
        return new AwsAsgRollout(group,
            new AwsQueryClient(http, Endpoint("ec2"), aws.Region, "ec2", "2016-11-15", credentials),
            new AwsQueryClient(http, Endpoint("autoscaling"), aws.Region, "autoscaling", "2011-01-01", credentials),
            new DeployJournal(JournalPath(group)));
    }

    /// <summary>The gcp-mig rollout of a group: Compute Engine REST with the OAuth access token in GCP_ACCESS_TOKEN.</summary>
    public GcpMigRollout GcpRollout(GroupDefinition group)
    {
        var token = Environment.GetEnvironmentVariable("GCP_ACCESS_TOKEN")
            ?? throw new UsageException("GCP_ACCESS_TOKEN is not set (e.g. GCP_ACCESS_TOKEN=$(gcloud auth print-access-token))");
        Secrets.Register(token);
        var gcp = group.Gcp!;
        return new GcpMigRollout(
            group,
            new GcpComputeClient(Own(new HttpClient()), gcp.Endpoint ?? "https://compute.googleapis.com", gcp.Project, token),
            new DeployJournal(JournalPath(group))
        );
    }

    private T Own<T>(T disposable) where T : IDisposable { _owned.Add(disposable); return disposable; }
    private static string Naming(ProviderKind kind) => Engine.Parameters.Naming.Kebab(kind.ToString());

    /// <summary>Closes the ssh connections this build opened and disposes the clients.</summary>
    public async ValueTask DisposeAsync()
    {
        await _connections.DisposeAsync();
        foreach (var d in _owned) d.Dispose();
    }
}
