using FluentAssertions;
using Pipeline.Tools.GitHub;
using Xunit;

namespace Pipeline.Tests.CI;

public class GitHubRequestsTests
{
    [Fact]
    public void A_deployment_is_created_for_the_commit_and_environment_without_required_contexts()
    {
        var request = GitHubRequests.CreateDeployment("acme/shop", "abc123", "production", "Deploy abc123");

        request.Method.Should().Be(HttpMethod.Post);
        request.Path.Should().Be("/repos/acme/shop/deployments");
        request.Body.ToJsonString().Should().Be(
            """{"ref":"abc123","environment":"production","description":"Deploy abc123","auto_merge":false,"required_contexts":[],"production_environment":true}""");
    }

    [Fact]
    public void Deployment_status_states_use_the_wire_names_and_descriptions_are_cut_to_140_characters()
    {
        var request = GitHubRequests.CreateDeploymentStatus("acme/shop", 42, DeploymentState.InProgress, new string('x', 200), "https://ci/run/1");

        request.Path.Should().Be("/repos/acme/shop/deployments/42/statuses");
        request.Body["state"]!.GetValue<string>().Should().Be("in_progress");
        request.Body["description"]!.GetValue<string>().Should().HaveLength(140);
        request.Body["log_url"]!.GetValue<string>().Should().Be("https://ci/run/1");
    }

    [Fact]
    public void A_commit_status_names_its_context()
    {
        var request = GitHubRequests.CreateCommitStatus("acme/shop", "abc123", CommitState.Pending, "pipeline/cluster-test", "started");

        request.Path.Should().Be("/repos/acme/shop/statuses/abc123");
        request.Body.ToJsonString().Should().Be("""{"state":"pending","context":"pipeline/cluster-test","description":"started"}""");
    }

    [Fact]
    public void A_secret_in_a_description_is_masked_before_the_cut_so_no_part_of_it_survives()
    {
        var session = new Pipeline.Engine.BuildSession([]);
        session.ActivateForThisFlow();
        try
        {
            const string token = "ghp_canary1234567890abcdef";
            session.Secrets.Register(token);
            // The cut at 140 characters falls inside the token: masked afterwards, its first part would be left.
            var description = new string('x', 130) + token + " and more";

            var request = GitHubRequests.CreateDeploymentStatus("acme/shop", 42, DeploymentState.Failure, description);

            var sent = request.Body["description"]!.GetValue<string>();
            sent.Should().Be(new string('x', 130) + "**** and …");
            sent.Should().NotContain("ghp_");
        }
        finally { session.Deactivate(); }
    }
}
