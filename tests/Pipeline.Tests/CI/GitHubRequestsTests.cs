using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.GitHub;
using System.Text.Json.Nodes;
using Xunit;
using CommitState = Octokit.CommitState;
using DeploymentState = Octokit.DeploymentState;

namespace Pipeline.Tests.CI;

/// <summary>The bodies as Octokit serializes them for the wire.</summary>
public class GitHubRequestsTests
{
    private static JsonObject Wire(object body) => JsonNode.Parse(GitHubRequests.Wire(body))!.AsObject();

    [Fact]
    public void A_deployment_is_created_for_the_commit_and_environment_without_required_contexts()
    {
        var body = Wire(GitHubRequests.CreateDeployment("abc123", "production", "Deploy abc123"));

        JsonNode
            .DeepEquals(
                body,
                JsonNode.Parse(
                    """{"ref":"abc123","environment":"production","description":"Deploy abc123","auto_merge":false,"required_contexts":[],"production_environment":true}"""
                )
            )
            .Should()
            .BeTrue(body.ToJsonString());
    }

    [Fact]
    public void Deployment_status_states_use_the_wire_names_and_descriptions_are_cut_to_140_characters()
    {
        var body = Wire(GitHubRequests.CreateDeploymentStatus(DeploymentState.InProgress, new string('x', 200), "https://ci/run/1"));

        body["state"]!.GetValue<string>().Should().Be("in_progress");
        body["description"]!.GetValue<string>().Should().HaveLength(140);
        body["log_url"]!.GetValue<string>().Should().Be("https://ci/run/1");
    }

    [Fact]
    public void A_commit_status_names_its_context()
    {
        var body = Wire(GitHubRequests.CreateCommitStatus(CommitState.Pending, "pipeline/cluster-test", "started"));

        JsonNode.DeepEquals(body, JsonNode.Parse("""{"state":"pending","context":"pipeline/cluster-test","description":"started"}"""))
            .Should().BeTrue(body.ToJsonString());
    }

    [Theory]
    [InlineData("https://api.github.com", "https://api.github.com/")]
    [InlineData("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/")]
    [InlineData("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/")]
    public void The_API_root_keeps_its_path_so_GitHub_Enterprise_calls_go_under_api_v3(string apiUrl, string root)
    {
        var uri = GitHubClient.ApiRoot(apiUrl);

        uri.ToString().Should().Be(root);
        new Uri(uri, new Uri("repos/acme/shop/deployments", UriKind.Relative))
            .AbsolutePath.Should()
            .Be(new Uri(root).AbsolutePath + "repos/acme/shop/deployments");
    }

    [Fact]
    public void A_GITHUB_API_URL_that_is_not_an_http_URL_is_a_usage_error_naming_the_variable()
    {
        var act = () => GitHubClient.ApiRoot("ghe.example.com/api/v3");

        act.Should().Throw<UsageException>().WithMessage("GITHUB_API_URL 'ghe.example.com/api/v3' is not an http(s) URL*");
    }

    [Fact]
    public void A_secret_in_a_description_is_masked_before_the_cut_so_no_part_of_it_survives()
    {
        var session = new BuildSession([]);
        session.ActivateForThisFlow();
        try
        {
            const string token = "ghp_canary1234567890abcdef";
            session.Secrets.Register(token);
            // The cut at 140 characters falls inside the token: masked afterwards, its first part would be left.
            var description = new string('x', 130) + token + " and more";

            var body = Wire(GitHubRequests.CreateDeploymentStatus(DeploymentState.Failure, description));

            var sent = body["description"]!.GetValue<string>();
            sent.Should().Be(new string('x', 130) + "**** and …");
            sent.Should().NotContain("ghp_");
        }
        finally { session.Deactivate(); }
    }

    [Fact]
    public void An_answer_is_read_for_the_created_objects_id_whatever_else_GitHub_sends()
    {
        var created = new GitHubJson().Deserialize<GitHubCreated>(
            """{"id":42,"node_id":"DE_x","sha":"abc","creator":{"login":"octocat","id":1},"payload":{},"production_environment":true}""");

        created.Id.Should().Be(42);
    }
}
