using FluentAssertions;
using Pipeline.Tools.Registry;
using Xunit;

namespace Pipeline.Tests.Tools.Registry;

public sealed class AuthChallengeTests
{
    [Fact]
    public void A_bearer_challenge_keeps_commas_inside_quoted_scopes()
    {
        var challenge = AuthChallenge.Parse(
            "Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:acme/app:pull,push\""
        );

        challenge.IsBearer.Should().BeTrue();
        challenge.Realm.Should().Be("https://ghcr.io/token");
        challenge.Service.Should().Be("ghcr.io");
        challenge.Scope.Should().Be("repository:acme/app:pull,push");
    }

    [Fact]
    public void A_basic_challenge_is_recognised()
    {
        var challenge = AuthChallenge.Parse("Basic realm=\"pipeline-registry\"");
        challenge.IsBasic.Should().BeTrue();
        challenge.Realm.Should().Be("pipeline-registry");
    }

    [Fact]
    public void The_token_request_carries_the_service_and_one_scope_parameter_per_scope()
    {
        var challenge = AuthChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\"");

        var uri = challenge.TokenUri(["repository:a/b:pull,push", "repository:c/d:pull", "repository:c/d:pull"]);

        uri.ToString()
            .Should()
            .Be(
                "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Aa%2Fb%3Apull%2Cpush&scope=repository%3Ac%2Fd%3Apull"
            );
    }

    [Fact]
    public void A_realm_with_a_query_gets_the_parameters_appended()
    {
        var challenge = AuthChallenge.Parse("Bearer realm=\"https://example.test/token?account=x\",service=\"s\"");
        challenge.TokenUri([]).Query.Should().Be("?account=x&service=s");
    }
}
