using CliWrap;
using FluentAssertions;
using Pipeline.Engine.Services;
using Pipeline.Publishing;
using Pipeline.Tools.Process;
using Pipeline.Tools.Registry;
using System.Text.Json;
using Xunit;

namespace Pipeline.IntegrationTests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class BearerFlowTests(RegistryFixture fixture)
{
    private const int RegistryPort = 21512, TokenPort = 21513;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Publish_uses_the_bearer_realm_flow_against_a_local_fake_token_server_in_front_of_a_real_registry()
    {
        await using var tokens = new FakeTokenServer(TokenPort, RegistryFixture.User, fixture.Password);
        var directory = Path.Combine(fixture.Directory, "token-registry");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "token.crt"), tokens.CertificatePem);
        RegistryService.Prepare(directory, RegistryPort, RegistryFixture.User, fixture.Password);
        var config = (await File.ReadAllTextAsync(Path.Combine(directory, "config.yml")))
            .Split("auth:")[0] + $"""
            auth:
              token:
                realm: {tokens.Realm}
                service: pipeline-test-registry
                issuer: {FakeTokenServer.Issuer}
                rootcertbundle: {Path.Combine(directory, "token.crt")}
            """;
        await File.WriteAllTextAsync(Path.Combine(directory, "config.yml"), config);
        var services = new LocalServiceManager(new Pipeline.Engine.AbsolutePath(Path.Combine(directory, "services")));
        await services.StartAsync(RegistryService.Spec("token-registry", directory, RegistryPort), Ct);
        try
        {
            var registry = new RegistryDefinition(
                "ghcr-like",
                new RegistryEndpoint($"127.0.0.1:{RegistryPort}", Tls: false),
                "bearer",
                "TestRegistryUser",
                "TestRegistryPassword",
                "test"
            );
            var publisher = new Publisher(new DockerImageEngine(fixture.Docker), _ => fixture.Credentials,
                new PublishOptions("test", SourceVersion.FromDescribe(null, "ab12cd3", 1, dirty: true), null, IsServerBuild: true));

            var first = (await publisher.PublishAsync([registry], fixture.Images.Take(1).ToList(), Ct)).Single();
            var second = (await publisher.PublishAsync([registry], fixture.Images.Take(1).ToList(), Ct)).Single();

            first.Status.Should().Be("pushed");
            second.Status.Should().Be("up-to-date");
            tokens
                .Requests.Should()
                .Contain(r => r.StartsWith("pipeline-registry-client") && r.Contains($"repository:bearer/{first.Name}:pull"));
            var inspect = await Cli.Wrap("skopeo")
                .WithArguments([
                    "inspect",
                    "--tls-verify=false",
                    "--creds",
                    $"{RegistryFixture.User}:{fixture.Password}",
                    $"docker://127.0.0.1:{RegistryPort}/bearer/{first.Name}:{first.Tags[0]}",
                ])
                .RunBufferedAsync(Ct);
            JsonDocument.Parse(inspect.StandardOutput).RootElement.GetProperty("Digest").GetString().Should().Be(first.Digest);

            using var anonymous = new RegistryClient(registry.Endpoint, new RegistryCredentials(RegistryFixture.User, "wrong"));
            await FluentActions.Awaiting(() => anonymous.HeadManifestAsync($"bearer/{first.Name}", first.Tags[0], Ct))
                .Should().ThrowAsync<RegistryAuthenticationException>();
        }
        finally { await services.StopAllAsync(Ct); }
    }
}
