using FluentAssertions;
using Pipeline.Tests.Packaging;
using Xunit;

namespace Pipeline.Tests.Engine;

/// <summary>The engine is the bottom layer: clients of the outside world (build/Tools) build on it, never the reverse.</summary>
public sealed class EngineLayerTests
{
    [Fact]
    public void No_file_of_the_engine_uses_a_client_of_the_outside_world()
    {
        var engine = Path.Combine(RepositoryRoot.Path, "build", "Engine");

        Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadLines(f).Any(l => l.Contains("Pipeline.Tools", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f))
            .Should().BeEmpty("build/Engine must not depend on build/Tools");
    }
}
