using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Backups;
using Pipeline.Definitions;
using Pipeline.Deploying.Definitions;
using Pipeline.Publishing;
using Pipeline.Tests.CI;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.Deploying;

/// <summary>The example environments a team copies are complete: every section loads, and every file they name is committed.</summary>
public class ExampleEnvironmentTests
{
    private static readonly string Root = WorkflowTestSupport.RepositoryRoot();

    /// <summary>Folders of the repository whose files an environment may name as inputs (outputs go to artifacts/ and
    /// .nuke/temp/).</summary>
    private static readonly string[] InputFolders = ["environments/", "scripts/", "images/", "apps/"];

    public static TheoryData<string> Environments() =>
        new(Directory.GetFiles(Path.Combine(Root, "environments"), "*.yml").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_section_of_an_example_environment_loads(string environment)
    {
        var root = Load(environment);

        if (root.Optional("groups") is not null) EnvironmentDeployment.From(root, environment).Groups.Should().NotBeEmpty();
        if (root.Optional("registries") is not null) RegistriesDefinition.Read(root).Should().NotBeEmpty();
        if (root.Optional("certificates") is not null) CertificatesDefinitionLoader.Load(root, environment).Should().NotBeNull();
        if (root.Optional("backups") is not null)
            BackupsDefinition.Load(root, new global::Pipeline.Engine.AbsolutePath(Root)).Should().NotBeNull();
        if (root.Optional("monitoring") is not null)
            Pipeline.Monitoring.MonitoringDefinitionLoader.Load(root, environment, TimeSpan.FromMinutes(2)).Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_repository_file_an_example_environment_names_is_committed(string environment)
    {
        var named = Scalars(environment).Where(v => InputFolders.Any(v.StartsWith)).ToList();

        named.Where(path => !File.Exists(Path.Combine(Root, path))).Should().BeEmpty($"environments/{environment}.yml names them");
    }

    [Fact]
    public void Staging_pins_its_hosts_keys_in_a_committed_known_hosts_file()
    {
        var group = EnvironmentDeployment.From(Load("staging"), "staging").Groups.Single(g => g.Ssh is not null);
        var lines = File.ReadAllLines(Path.Combine(Root, group.Ssh!.KnownHosts)).Where(l => l.Length > 0 && l[0] != '#').ToList();

        lines.Select(l => l.Split(' ')[0]).Should().BeEquivalentTo(group.Ssh.Hosts, "every host of the group has a pinned key");
    }

    private static DefinitionNode Load(string environment) =>
        DefinitionFile.Load(Path.Combine(Root, "environments", $"{environment}.yml"), $"environments/{environment}.yml", _ => null);

    private static IEnumerable<string> Scalars(string environment)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(Root, "environments", $"{environment}.yml"))) stream.Load(reader);
        return stream.Documents.SelectMany(d => d.AllNodes).OfType<YamlScalarNode>().Select(n => n.Value ?? "");
    }
}
