using FluentAssertions;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipeline.Tests.CI;

/// <summary>
/// The workflows cache the compiled build (build/bin, build/obj and build.sh's stamp). The entry is useful only when a fresh
/// clone restoring it computes the stamp it holds: so the key hashes the content the stamp reads, and build.sh itself.
/// </summary>
public class CompiledBuildCacheTests
{
    [Fact]
    public void The_compiled_build_cache_key_hashes_what_the_bootstrapper_stamp_reads_and_the_bootstrapper()
    {
        var bootstrapper = File.ReadAllText(Path.Combine(WorkflowTestSupport.RepositoryRoot(), "build.sh"));
        var specs = Regex.Match(bootstrapper, @"^SPECS=\((?<specs>[^)]*)\)", RegexOptions.Multiline).Groups["specs"].Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        specs.Should().BeEquivalentTo("build", "Directory.Build.props");
        var files = specs.Select(s => s == "build" ? "'build/**'" : $"'{s}'").Append("'build.sh'");
        var expected = "hashFiles(" + string.Join(", ", files) + ")";

        foreach (var (file, content) in WorkflowTestSupport.RealBuild().RenderWorkflows())
            foreach (var job in WorkflowTestSupport.Jobs(WorkflowTestSupport.Parse(content)).Children.Values)
            {
                var cache = WorkflowTestSupport.Steps((YamlDotNet.RepresentationModel.YamlMappingNode)job)
                    .Single(s => WorkflowTestSupport.Get(s, "name") == "Cache the compiled build");
                var with = (YamlDotNet.RepresentationModel.YamlMappingNode)cache["with"];
                with["key"].ToString().Should().Be("build-${{ runner.os }}-${{ " + expected + " }}", file);
                with["path"].ToString().Should().Contain(".nuke/temp/build.stamp", file);
            }
    }
}
