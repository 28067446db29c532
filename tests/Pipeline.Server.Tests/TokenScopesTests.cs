using Pipeline.Server.Access;
using Pipeline.Server.Jobs;

namespace Pipeline.Server.Tests;

public sealed class TokenScopesTests
{
    [Fact]
    public void Scopes_name_environments_and_targets_and_read_only_forbids_every_job()
    {
        var staging = TokenScopes.Parse("env:staging,target:Deploy,target:Plan");
        staging.MayRun("staging", ["Deploy", "plan"]).Should().BeTrue();
        staging.MayRun("production", ["Deploy"]).Should().BeFalse();
        staging.MayRun("staging", ["Backup"]).Should().BeFalse();
        staging.MayRead("production").Should().BeFalse();

        var viewer = TokenScopes.Parse("env:*,read-only");
        viewer.MayRead("production").Should().BeTrue();
        viewer.MayRun("production", ["Plan"]).Should().BeFalse();
        TokenScopes.Parse(viewer.ToString()).Should().BeEquivalentTo(viewer);
    }

    [Theory]
    [InlineData("target:Deploy")]
    [InlineData("env:staging")]
    [InlineData("env:staging,admin")]
    [InlineData("env:../x,target:*")]
    public void Incomplete_or_unknown_scopes_are_refused(string text) =>
        FluentActions.Invoking(() => TokenScopes.Parse(text)).Should().Throw<FormatException>();

    [Fact]
    public void Tokens_are_random_and_stored_as_their_sha256()
    {
        var a = ApiToken.Create();
        a.Should().StartWith("pl_").And.NotBe(ApiToken.Create());
        ApiToken.Hash(a).Should().HaveLength(64).And.NotContain(a);
    }

    [Fact]
    public void A_job_command_keeps_each_parameter_in_one_word()
    {
        var job = new Job("j1", DateTimeOffset.UnixEpoch, "ops", "staging", ["Deploy"],
            new Dictionary<string, string> { ["skip"] = "Backup", ["deploy-group"] = "web --force x" }, JobStatus.Queued);

        JobCommand.Arguments(job).Should().Equal("Deploy", "--environment", "staging", "--deploy-group=web --force x", "--skip=Backup");
    }
}
