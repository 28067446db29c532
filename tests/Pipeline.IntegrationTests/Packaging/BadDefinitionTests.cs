using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Packaging.Execution;
using Xunit;

namespace Pipeline.IntegrationTests.Packaging;

public class BadDefinitionTests
{
    [Fact]
    public async Task A_bad_definition_stops_the_run_with_one_line_before_anything_is_written()
    {
        using var repository = await ScratchRepository.CreateAsync();
        repository.Write(
            "apps/good/package.yml",
            "name: good\nversion: 1.0.0\nsummary: s\ndescription: d\nmaintainer: A B <a@b.c>\ncopyright: 2026 A\nlicense: MIT\nproject: "
            + "Good.csproj\n"
        );
        repository.Write("apps/good/Good.csproj", "<Project />");
        repository.Write("apps/heartbeat/package.yml", "name: heartbeat\nversion: 1.0.0\nservice:\n  user: Not Valid\n");
        var artifacts = Path.Combine(repository.Path, "artifacts");

        var run = () =>
            new PackagesExecutor(
                PackageLayout.Of(new(repository.Path), new(artifacts), new(Path.Combine(repository.Path, ".nuke/temp")))
            ).RunAsync(CancellationToken.None);

        var error = (await run.Should().ThrowAsync<DefinitionException>()).Which;
        error.Message.Should().StartWith("apps/heartbeat/package.yml: ").And.NotContain("\n");
        error.ExitCode.Should().Be(ExitCodes.Usage);
        Directory.Exists(artifacts).Should().BeFalse("nothing may be half-written");
    }

    [Fact]
    public async Task The_service_user_error_names_the_key_path()
    {
        using var repository = await ScratchRepository.CreateAsync();
        repository.Write("apps/heartbeat/Heartbeat.csproj", "<Project />");
        repository.Write("apps/heartbeat/package.yml",
            "name: heartbeat\nversion: 1.0.0\nsummary: s\ndescription: d\nmaintainer: A B <a@b.c>\ncopyright: 2026 A\nlicense: MIT\n" +
            "project: Heartbeat.csproj\nservice:\n  user: Not Valid\n");

        var run = () =>
            new PackagesExecutor(
                PackageLayout.Of(
                    new(repository.Path),
                    new(Path.Combine(repository.Path, "artifacts")),
                    new(Path.Combine(repository.Path, "t"))
                )
            ).RunAsync(CancellationToken.None);

        (await run.Should().ThrowAsync<DefinitionException>()).Which.Message.Should()
            .Be("apps/heartbeat/package.yml: service/user: must be a valid user name (e.g. heartbeat) (line 10, column 9)");
    }
}
