using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tests.Engine;
using Xunit;

namespace Pipeline.Tests.Baking;

/// <summary>image.yml is user input like an environment file: a run that bakes refuses a bad one before any target.</summary>
public class ImageInputTests
{
    [Fact]
    public async Task A_port_outside_the_range_in_an_image_stops_a_run_that_bakes_before_Packages_with_the_file_and_line()
    {
        var root = RootWithWebImage("description: web\nfrom: debian:bookworm-slim\nexpose: [8080, 70000]\ntags: [web:latest]\n");

        var run = await BuildAsync(root, "Images", "--no-logo");

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
        var run = await BuildAsync(RootWithWebImage("expose: [70000]\n"), "--plan", "Test", "--no-logo");

        run.ExitCode.Should().Be(0, run.Output);
    }

    [Fact]
    public async Task A_run_whose_skip_leaves_out_the_bake_does_not_read_the_image_definitions()
    {
        var root = RootWithWebImage("expose: [70000]\n");

        var skipped = await BuildAsync(root, "--plan", "Publish", "--skip", "--no-logo");
        var baking = await BuildAsync(root, "--plan", "Publish", "--no-logo");

        skipped.ExitCode.Should().Be(0, skipped.Output);
        baking.ExitCode.Should().Be(2, baking.Output);
        baking.Output.Should().Contain("images/web/image.yml");
    }

    /// <summary>A fresh root holding images/web/image.yml with <paramref name="yaml"/>.</summary>
    private static AbsolutePath RootWithWebImage(string yaml)
    {
        var root = EngineHarness.NewRoot();
        Directory.CreateDirectory(root / "images" / "web");
        File.WriteAllText(root / "images" / "web" / "image.yml", yaml);
        return root;
    }

    private static Task<BuildRun> BuildAsync(AbsolutePath root, params string[] arguments) =>
        EngineHarness.RunAsync(new Pipeline.Build(), EngineHarness.DefaultOf<Pipeline.Build>(), arguments, root: root);
}
