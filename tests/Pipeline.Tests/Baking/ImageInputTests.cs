using FluentAssertions;
using Pipeline.Tests.Engine;
using Xunit;

namespace Pipeline.Tests.Baking;

/// <summary>image.yml is user input like an environment file: a run that bakes refuses a bad one before any target.</summary>
public class ImageInputTests
{
    [Fact]
    public async Task A_port_outside_the_range_in_an_image_stops_a_run_that_bakes_before_Packages_with_the_file_and_line()
    {
        var root = EngineHarness.NewRoot();
        Directory.CreateDirectory(root / "images" / "web");
        File.WriteAllText(
            root / "images" / "web" / "image.yml",
            "description: web\nfrom: debian:bookworm-slim\nexpose: [8080, 70000]\ntags: [web:latest]\n"
        );

        var run = await EngineHarness.RunAsync(
            new Pipeline.Build(),
            EngineHarness.DefaultOf<Pipeline.Build>(),
            ["Images", "--no-logo"],
            root: root
        );

        run.ExitCode.Should().Be(2, run.Output);
        run.Output.Trim()
            .Should()
            .StartWith("error: images/web/image.yml: expose")
            .And.Contain("port 70000 is outside 1-65535")
            .And.Contain("line 3");
        run.Output.Trim().Split('\n').Should().ContainSingle();
        Directory.Exists(root / ".nuke" / "temp").Should().BeFalse("nothing ran, not even the build log was opened");
    }

    [Fact]
    public async Task A_run_that_does_not_bake_is_not_stopped_by_an_image_definition()
    {
        var root = EngineHarness.NewRoot();
        Directory.CreateDirectory(root / "images" / "web");
        File.WriteAllText(root / "images" / "web" / "image.yml", "expose: [70000]\n");

        var run = await EngineHarness.RunAsync(
            new Pipeline.Build(),
            EngineHarness.DefaultOf<Pipeline.Build>(),
            ["--plan", "Test", "--no-logo"],
            root: root
        );

        run.ExitCode.Should().Be(0, run.Output);
    }

    [Fact]
    public async Task A_run_whose_skip_leaves_out_the_bake_does_not_read_the_image_definitions()
    {
        var root = EngineHarness.NewRoot();
        Directory.CreateDirectory(root / "images" / "web");
        File.WriteAllText(root / "images" / "web" / "image.yml", "expose: [70000]\n");

        var skipped = await EngineHarness.RunAsync(
            new Pipeline.Build(), EngineHarness.DefaultOf<Pipeline.Build>(), ["--plan", "Publish", "--skip", "--no-logo"], root: root);
        var baking = await EngineHarness.RunAsync(
            new Pipeline.Build(), EngineHarness.DefaultOf<Pipeline.Build>(), ["--plan", "Publish", "--no-logo"], root: root);

        skipped.ExitCode.Should().Be(0, skipped.Output);
        baking.ExitCode.Should().Be(2, baking.Output);
        baking.Output.Should().Contain("images/web/image.yml");
    }
}
