using FluentAssertions;
using Pipeline.Engine.Parameters;
using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.CI;

/// <summary>
/// Derives, independently of the generator, which secrets each job may hold: the [Secret] parameters its targets read
/// (Build.SecretsReadBy) and the credentials its environment file names for them — registry passwords for Publish and
/// Promote (Promote also its source's), <c>${VAR}</c> references and static cloud keys (unless the file's <c>ci:</c>
/// section federates) for Deploy. Any <c>${{ secrets.X }}</c> of a job outside that set is reported.
/// </summary>
public partial class LeastPrivilegeTests
{
    public static TheoryData<string> Workflows => new() { "pipeline.yml", "nightly.yml" };

    [Theory]
    [MemberData(nameof(Workflows))]
    public void No_job_holds_a_secret_that_its_targets_do_not_declare(string file)
    {
        var build = WorkflowTestSupport.RealBuild();
        var yaml = build.RenderWorkflows().Single(f => f.FileName == file).Content;

        UndeclaredSecrets(yaml, build).Should().BeEmpty();
    }

    [Fact]
    public void A_secret_given_to_a_job_whose_targets_do_not_read_it_is_reported_with_the_job()
    {
        var build = WorkflowTestSupport.RealBuild();
        var yaml = build.RenderWorkflows().Single(f => f.FileName == "pipeline.yml").Content;
        var marker = "        run: ./build.sh LoadImageArchives ClusterTest --skip $DISPATCH_PARAMETERS\n";
        yaml.Should().Contain(marker);
        var tampered = yaml.Replace(marker, "          APT_SIGNING_KEY: ${{ secrets.APT_SIGNING_KEY }}\n" + marker);

        UndeclaredSecrets(tampered, build).Should().Equal(
            "pipeline.yml job cluster-test holds secret APT_SIGNING_KEY, which none of LoadImageArchives, ClusterTest reads");
    }

    [Fact]
    public void The_tests_job_holds_no_secret_and_only_Packages_jobs_hold_the_signing_key()
    {
        var build = WorkflowTestSupport.RealBuild();
        foreach (var (file, content) in build.RenderWorkflows())
            foreach (var (id, job) in Jobs(content))
            {
                var secrets = SecretsOf(job);
                if (id == "tests") secrets.Should().BeEmpty();
                if (secrets.Contains("APT_SIGNING_KEY"))
                    WorkflowTestSupport.RunTargets(job, build).Should().Contain("Packages", $"{file} {id} holds the APT signing key");
            }
    }

    [Fact]
    public void Production_federates_with_the_clouds_and_holds_no_static_cloud_key()
    {
        var yaml = WorkflowTestSupport.RealBuild().RenderWorkflows().Single(f => f.FileName == "pipeline.yml").Content;
        var production = Jobs(yaml).Single(j => j.Id == "deploy-production").Job;
        var uses = WorkflowTestSupport.Steps(production).Select(s => WorkflowTestSupport.Get(s, "uses")).ToList();

        uses.Should().Contain(["aws-actions/configure-aws-credentials@v4", "google-github-actions/auth@v2"]);
        SecretsOf(production).Should().NotContain(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GCP_ACCESS_TOKEN"]);
        production["permissions"]["id-token"].ToString().Should().Be("write");
        SecretsOf(production).Should().Contain(["ECR_PASSWORD", "GHCR_TOKEN"], "Promote reads staging's registry and writes production's");
    }

    [Fact]
    public void Only_jobs_that_federate_may_ask_for_an_id_token_and_every_job_names_its_scopes()
    {
        foreach (var (file, content) in WorkflowTestSupport.RealBuild().RenderWorkflows())
            foreach (var (id, job) in Jobs(content))
            {
                var permissions = (YamlMappingNode)job["permissions"];
                permissions["contents"].ToString().Should().Be("read", $"{file} {id}");
                var federates = WorkflowTestSupport
                    .Steps(job)
                    .Any(s =>
                        WorkflowTestSupport.Get(s, "uses")?.StartsWith("aws-actions/") == true
                        || WorkflowTestSupport.Get(s, "uses")?.StartsWith("google-github-actions/") == true
                    );
                permissions.Children.ContainsKey(new YamlScalarNode("id-token")).Should().Be(federates, $"{file} {id}");
            }
    }

    [Fact]
    public void Every_secret_parameter_is_assigned_to_the_targets_that_read_it()
    {
        // RegistryPassword reaches a job only when an environment file names it as a registry's credential.
        var assigned = Build.SecretsReadBy.Values.SelectMany(v => v).Append("RegistryPassword").ToHashSet();

        ParameterInfo.Discover(typeof(Build)).Where(p => p.IsSecret).Select(p => p.Name).Where(n => !assigned.Contains(n))
            .Should().BeEmpty("a [Secret] parameter no entry of Build.SecretsReadBy names would reach no CI job");
    }

    /// <summary>One line per secret a job holds that none of its targets declares.</summary>
    internal static IReadOnlyList<string> UndeclaredSecrets(string yaml, Build build)
    {
        var file = WorkflowTestSupport.Parse(yaml)["name"].ToString() == "Nightly" ? "nightly.yml" : "pipeline.yml";
        var problems = new List<string>();
        foreach (var (id, job) in Jobs(yaml))
        {
            var command = WorkflowTestSupport.Command(job);
            var runs = WorkflowTestSupport.RunTargets(job, build);
            var environment = WorkflowTestSupport.EnvironmentOf(command);
            var words = command.Split(' ');
            var from = Array.IndexOf(words, "--from-environment") is var i and >= 0 ? words[i + 1] : null;
            var declared = DeclaredSecrets(command, runs);
            foreach (var secret in SecretsOf(job).Where(s => !declared.Contains(s)))
                problems.Add(
                    $"{file} job {id} holds secret {secret}, which none of {string.Join(", ", WorkflowTestSupport.Targets(command))} reads"
                );
        }
        return problems;
    }

    /// <summary>The secrets the targets a job runs read (their [Secret] parameters and what the environment file names for them).</summary>
    internal static HashSet<string> DeclaredSecrets(string command, IReadOnlyList<string> runs)
    {
        var root = WorkflowTestSupport.RepositoryRoot();
        var parameters = ParameterInfo.Discover(typeof(Build)).ToDictionary(p => p.Name);
        var environment = WorkflowTestSupport.EnvironmentOf(command);
        var words = command.Split(' ');
        var from = Array.IndexOf(words, "--from-environment") is var i and >= 0 ? words[i + 1] : null;
        var declared = runs.SelectMany(t => Build.SecretsReadBy.GetValueOrDefault(t) ?? [])
            .Select(p => parameters[p].EnvironmentVariable)
            .ToHashSet();
        if (environment is not null)
        {
            if (runs.Contains("Publish") || runs.Contains("Promote"))
                foreach (var env in new[] { environment, from }.OfType<string>())
                    declared.UnionWith(RegistryPasswords(root, env));
            if (runs.Contains("Deploy"))
                declared.UnionWith(HostCredentials(root, environment));
        }
        return declared;
    }

    internal static IEnumerable<(string Id, YamlMappingNode Job)> Jobs(string yaml) =>
        WorkflowTestSupport.Jobs(WorkflowTestSupport.Parse(yaml)).Children.Select(kv => (kv.Key.ToString(), (YamlMappingNode)kv.Value));

    internal static HashSet<string> SecretsOf(YamlMappingNode job) =>
        SecretReference().Matches(new SerializerText(job).Text).Select(m => m.Groups[1].Value).ToHashSet();

    private static YamlMappingNode EnvironmentFile(string root, string environment)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(root, "environments", environment + ".yml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<string> RegistryPasswords(string root, string environment) =>
        EnvironmentFile(root, environment).Children.TryGetValue(new YamlScalarNode("registries"), out var registries)
            ? ((YamlMappingNode)registries).Children.Values.Cast<YamlMappingNode>()
                .Select(r => r["credentials"]["password"].ToString()).Select(Naming.UpperSnake)
            : [];

    private static IEnumerable<string> HostCredentials(string root, string environment)
    {
        var text = File.ReadAllText(Path.Combine(root, "environments", environment + ".yml"));
        var names = VariableReference().Matches(string.Join('\n', text.Split('\n').Select(l => l.Split(" #")[0])))
            .Select(m => m.Groups[1].Value).ToList();
        var file = EnvironmentFile(root, environment);
        var ci = file.Children.TryGetValue(new YamlScalarNode("ci"), out var c) ? (YamlMappingNode)c : null;
        if (text.Contains("provider: aws-asg") || text.Contains("s3_bucket:"))
            if (ci?.Children.ContainsKey(new YamlScalarNode("aws")) != true) names.AddRange(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
        if (text.Contains("provider: gcp-mig") && ci?.Children.ContainsKey(new YamlScalarNode("gcp")) != true)
            names.Add("GCP_ACCESS_TOKEN");
        return names;
    }

    /// <summary>The job node as text, for finding every <c>${{ secrets.X }}</c> wherever it is (env:, with:, run:).</summary>
    private sealed class SerializerText(YamlNode node)
    {
        public string Text { get; } = Flatten(node);
        private static string Flatten(YamlNode n) => n switch
        {
            YamlScalarNode s => s.Value ?? "",
            YamlSequenceNode q => string.Join("\n", q.Children.Select(Flatten)),
            YamlMappingNode m => string.Join("\n", m.Children.Select(kv => Flatten(kv.Key) + ": " + Flatten(kv.Value))),
            _ => "",
        };
    }

    [GeneratedRegex(@"\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex SecretReference();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}")]
    private static partial Regex VariableReference();
}
