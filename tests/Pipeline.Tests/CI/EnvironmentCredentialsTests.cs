using FluentAssertions;
using Pipeline.CI;
using Pipeline.Definitions;
using Xunit;

namespace Pipeline.Tests.CI;

public class EnvironmentCredentialsTests
{
    [Fact]
    public void Staging_names_its_registry_token_user_ssh_key_and_database_url()
    {
        var staging = EnvironmentCredentials.Read(WorkflowTestSupport.RepositoryRoot(), "staging");

        staging.RegistrySecrets.Should().Equal("GHCR_TOKEN");
        staging.RegistryVariables.Should().Equal("GHCR_USER");
        staging.FileSecrets.Should().Equal("STAGING_SSH_KEY");
        staging.ValueSecrets.Should().Equal("STAGING_DATABASE_URL");
        (staging.UsesAws || staging.UsesGcp).Should().BeFalse();
    }

    [Fact]
    public void Production_uses_both_clouds_through_federation()
    {
        var production = EnvironmentCredentials.Read(WorkflowTestSupport.RepositoryRoot(), "production");

        (production.UsesAws, production.UsesGcp).Should().Be((true, true));
        production.Aws!.Role.Should().StartWith("arn:aws:iam::");
        production.Gcp!.Provider.Should().Contain("workloadIdentityPools");
        production.HostSecrets.Should().BeEmpty("federated clouds need no stored key");
        production.RegistrySecrets.Should().Equal("ECR_PASSWORD");
    }

    [Fact]
    public void Without_a_ci_section_cloud_groups_take_static_keys()
    {
        var root = Directory.CreateTempSubdirectory("cicreds-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "environments"));
            File.WriteAllText(Path.Combine(root, "environments", "prod.yml"),
                "groups:\n  a: { provider: aws-asg }\n  b: { provider: gcp-mig }\n");

            EnvironmentCredentials
                .Read(new(root), "prod")
                .HostSecrets.Should()
                .Equal("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GCP_ACCESS_TOKEN");
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void An_unknown_key_in_the_ci_section_names_its_path()
    {
        var root = Directory.CreateTempSubdirectory("cicreds-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "environments"));
            File.WriteAllText(Path.Combine(root, "environments", "prod.yml"), "ci:\n  aws:\n    role: arn:x\n    regoin: eu-west-1\n");

            var act = () => EnvironmentCredentials.Read(new(root), "prod");

            act.Should()
                .Throw<DefinitionException>()
                .Which.Message.Should()
                .StartWith("environments/prod.yml: ci/aws/regoin: unknown key.");
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
