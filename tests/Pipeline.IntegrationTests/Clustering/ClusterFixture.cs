using Pipeline.Baking;
using Pipeline.Clustering;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;
using Xunit;

namespace Pipeline.IntegrationTests.Clustering;

/// <summary>
/// Bakes the cluster tests' images once: the repository's base and haproxy images (tags prefixed
/// <c>pipeline-cluster-test-</c>, the debootstrap base from the repository's cache) and a tiny perl stand-in for
/// heartbeat FROM base; lays out a temporary repository whose environments/virtual/ is the real compose template
/// (heartbeat replaced by the stand-in) and the real haproxy.cfg.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string Prefix = "pipeline-cluster-test-";
    public DockerClient Docker { get; } = new();
    public string Repository { get; } = ProjectRoot();
    public string Root { get; } = Directory.CreateTempSubdirectory(Prefix).FullName;

    /// <summary>A stand-in for heartbeat needing only perl-base (in every Debian): GET /heartbeat answers like heartbeat.</summary>
    private const string AppScript = """
        #!/usr/bin/perl
        # A stand-in for heartbeat in the cluster tests, needing only perl-base (in every Debian): GET /heartbeat answers
        # {"message","version","instance"} like heartbeat does, GET /metrics a counter in Prometheus' text format;
        # everything else 404. One connection at a time.
        use strict;
        use warnings;
        use IO::Socket::INET;
        $| = 1;
        my $port = $ENV{HEARTBEAT_PORT} || 8080;
        my $instance = $ENV{HEARTBEAT_INSTANCE} || 'app';
        my $server = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => $port, Listen => 128, ReuseAddr => 1) or die "listen on $port: $!";
        $SIG{TERM} = sub { print "stopping on SIGTERM\n"; exit 0 };
        print "listening on $port as $instance\n";
        while (my $client = $server->accept) {
            $client->autoflush(1);
            my $request = <$client>;
            if (!defined $request) { close $client; next; }
            my ($method, $path) = split / /, $request;
            while (my $header = <$client>) { last if $header =~ /^\r?\n$/; }
            my ($status, $type, $body) = $path eq '/heartbeat'
                ? ('200 OK', 'application/json', qq({"message":"alive","version":"test","instance":"$instance"}))
                : $path eq '/metrics'
                ? ('200 OK', 'text/plain; version=0.0.4', "app_requests_total 1\n")
                : ('404 Not Found', 'application/json', '{"error":"not found"}');
            print $client "HTTP/1.0 $status\r\nContent-Type: $type\r\nContent-Length: " . length($body) . "\r\nConnection: close\r\n\r\n$body";
            close $client;
            print "$method $path $status\n";
        }
        """;

    public async Task InitializeAsync()
    {
        Copy(Path.Combine(Repository, "images", "base"), Path.Combine(Root, "images", "base"));
        Copy(Path.Combine(Repository, "images", "haproxy"), Path.Combine(Root, "images", "haproxy"));
        Copy(Path.Combine(Repository, "scripts"), Path.Combine(Root, "scripts"));
        var app = Directory.CreateDirectory(Path.Combine(Root, "images", "app")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "app.pl"), AppScript);
        await File.WriteAllTextAsync(Path.Combine(app, "image.yml"), """
            description: a perl stand-in for heartbeat (cluster tests)
            from: base
            provisioners:
              - file: { source: app.pl, destination: /usr/local/bin/app.pl, mode: "0755" }
            cmd: ["perl", "/usr/local/bin/app.pl"]
            expose: [8080]
            healthcheck:
              test: http-check 8080 /heartbeat
              interval: 1s
              timeout: 3s
              retries: 3
            """);
        var environment = Directory.CreateDirectory(Path.Combine(Root, "environments", "virtual")).FullName;
        File.Copy(Path.Combine(Repository, "environments", "virtual", "haproxy.cfg"), Path.Combine(environment, "haproxy.cfg"));
        var template = await File.ReadAllTextAsync(Path.Combine(Repository, "environments", "virtual", "compose.template.yml"));
        await File.WriteAllTextAsync(
            Path.Combine(environment, "compose.template.yml"),
            template.Replace("${IMAGE_heartbeat}", "${IMAGE_app}")
        );

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await new Baker(Docker, new BakeOptions(new ImageLayout(new(Root), new Engine.AbsolutePath(Root) / "artifacts",
            new Engine.AbsolutePath(Path.Combine(Repository, ".nuke", "temp", "debootstrap"))))
        {
            Naming = new BakeNaming(Prefix),
        }).BakeAsync(ImageCatalog.Load(new(Root), _ => null), cts.Token);
    }

    /// <summary>The repository's environments/virtual/monitoring.yml, for runs that start the cluster's Prometheus.</summary>
    public string MonitoringFile => Path.Combine(Repository, "environments", "virtual", "monitoring.yml");

    /// <summary>Options for one run with its own checks file and artifacts folder.</summary>
    public ClusterOptions Options(string name, string checksYaml)
    {
        var root = new Engine.AbsolutePath(Root);
        var run = (root / "runs" / name).CreateDirectory();
        File.WriteAllText(run / "checks.yml", checksYaml);
        return new ClusterOptions(ClusterLayout.Of(root, root / "artifacts", root / ".nuke" / "temp") with { Outputs = run / "artifacts" })
        {
            ChecksFile = run / "checks.yml",
            ProjectPrefix = Prefix,
            Ports = (26500, 26999),
        };
    }

    /// <summary>Every container, network and volume of one run, found by label through the Engine API.</summary>
    public async Task<IReadOnlyList<string>> LeftAsync(string runId) =>
        await Leftovers.OfProjectAsync(Docker, runId, CancellationToken.None);

    public async Task DisposeAsync()
    {
        // Whatever a failed test left of this process's runs (the runner tears down; this is the safety net).
        var owner = Leftovers.Owner(ProcessIdentity.Of(Environment.ProcessId)!);
        await Docker.RemoveLabelledAsync($"{ClusterProject.OwnerLabel}={owner}", images: false, CancellationToken.None);
        Docker.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    public static string ProjectRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException("No Pipeline.sln above the test's folder.");
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from)) Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "virtual cluster (pipeline-cluster-test-)";
}
