using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Serving;
using System.Xml.Linq;
using Xunit;

namespace Pipeline.Tests.Serving;

public sealed class ServerLaunchTests
{
    private static readonly ServerLaunch Launch =
        new(new AbsolutePath("/repo/server/Pipeline.Server"), new AbsolutePath("/repo"), "Release");

    [Fact]
    public void Serve_starts_the_built_server_assembly_with_the_names_of_the_secret_variables_never_their_values()
    {
        Launch.ServeArguments("127.0.0.1:8780", ["S3_SECRET_KEY", "SLACK_WEBHOOK"]).Should().Equal(
            "/repo/server/Pipeline.Server/bin/Release/net10.0/Pipeline.Server.dll", "--root", "/repo", "--listen", "127.0.0.1:8780",
            "--secret-variables", "S3_SECRET_KEY,SLACK_WEBHOOK");
    }

    [Fact]
    public void ServeToken_passes_the_scopes_and_the_slack_user_as_separate_words()
    {
        Launch.MintTokenArguments("ops", "env:staging,target:Deploy", "U1").Should().Equal(
            "/repo/server/Pipeline.Server/bin/Release/net10.0/Pipeline.Server.dll", "mint-token", "--root", "/repo", "--name", "ops",
            "--scopes", "env:staging,target:Deploy", "--slack-user", "U1");
    }

    [Fact]
    public void The_build_project_never_references_the_server_or_ASP_NET_Core()
    {
        var project = XDocument.Load(Path.Combine(Pipeline.Tests.Packaging.RepositoryRoot.Path, "build", "_build.csproj"));

        project.Root!.Attribute("Sdk")!.Value.Should().Be("Microsoft.NET.Sdk");
        project.Descendants().Where(e => e.Name.LocalName is "ProjectReference" or "FrameworkReference")
            .Select(e => e.Attribute("Include")!.Value).Should().BeEmpty("./build.sh must not load ASP.NET Core or the server");
    }
}
