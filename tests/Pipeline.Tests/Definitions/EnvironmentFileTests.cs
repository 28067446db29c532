using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Tests.Engine;
using Pipeline.Tests.Packaging;
using Xunit;

namespace Pipeline.Tests.Definitions;

public class EnvironmentFileTests
{
    [Fact]
    public void The_known_sections_are_the_ones_the_capabilities_declare()
    {
        EnvironmentFile.KnownSections.Should().Equal(
            "backups", "certificates", "ci", "dns", "groups", "lock", "monitoring", "registries", "s3");
    }

    [Fact]
    public void A_typo_in_a_top_level_key_is_refused_at_the_key_with_the_closest_section()
    {
        using var dir = new TempEnvironments(("staging", "groups:\n  web: {}\nlocks:\n  ttl: 5m\n"));
        FluentActions
            .Invoking(() => EnvironmentFile.Load(dir.Root / "environments" / "staging.yml", "environments/staging.yml"))
            .Should()
            .Throw<DefinitionException>()
            .WithMessage(
                "environments/staging.yml: locks: unknown section. Did you mean 'lock'? Allowed: backups, certificates, ci, dns, groups, lock, "
                + "monitoring, registries, s3 (line 3, column 1)"
            );
    }

    [Fact]
    public void Every_example_environment_has_only_known_sections()
    {
        var root = new AbsolutePath(RepositoryRoot.Path);
        var names = EnvironmentFile.Names(root);
        names.Should().Contain(["local", "staging", "production"]);
        foreach (var name in names)
            EnvironmentFile.Load(root / "environments" / $"{name}.yml", $"environments/{name}.yml", _ => null).IsMapping.Should().BeTrue();
    }

    [Theory]
    [InlineData(
        "environments/staging.yml",
        "--environment environments/staging.yml: give the environment's name, not a path (write --environment staging)."
    )]
    [InlineData("staging.yml", "--environment staging.yml: give the environment's name, not a path (write --environment staging).")]
    [InlineData(
        "stagin",
        "--environment stagin: there is no environments/stagin.yml. Did you mean 'staging'? Environments: local, staging."
    )]
    [InlineData("qa", "--environment qa: there is no environments/qa.yml. Environments: local, staging.")]
    public void An_environment_given_as_a_path_or_an_unknown_name_says_which_names_exist(string name, string expected)
    {
        using var dir = new TempEnvironments(("local", "groups: {}\n"), ("staging", "groups: {}\n"));
        FluentActions.Invoking(() => EnvironmentFile.CheckName(name, dir.Root)).Should().Throw<UsageException>().WithMessage(expected);
    }

    [Fact]
    public async Task The_build_refuses_a_bad_environment_before_any_target_runs()
    {
        using var dir = new TempEnvironments(
            (
                "local",
                "groups:\n  web:\n    provider: docker\n    image: heartbeat\n    count: 1\n    rolling:\n      bake: 99999999999999d\n"
            )
        );
        Directory.CreateDirectory(dir.Root / ".nuke");

        var run = await EngineHarness.RunAsync(
            new Pipeline.Build(),
            EngineHarness.DefaultOf<Pipeline.Build>(),
            ["Compile", "--no-logo"],
            root: dir.Root
        );

        run.ExitCode.Should().Be(2, run.Output);
        run.Output.Trim()
            .Should()
            .Be(
                "error: environments/local.yml: groups/web/rolling/bake: '99999999999999d' is too long (at most 10675199 days) (line 7, "
                + "column 13)"
            );
        Directory.Exists(dir.Root / ".nuke" / "temp").Should().BeFalse("nothing is written, not even the build log");
    }

    /// <summary>A temporary root holding environments/&lt;name&gt;.yml files.</summary>
    private sealed class TempEnvironments : IDisposable
    {
        public AbsolutePath Root { get; } = EngineHarness.NewRoot();

        public TempEnvironments(params (string Name, string Yaml)[] files)
        {
            Directory.CreateDirectory(Root / "environments");
            foreach (var (name, yaml) in files) File.WriteAllText(Root / "environments" / $"{name}.yml", yaml);
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
