using Pipeline.Engine;

namespace Pipeline;

/// <summary>The same graph as GitHub Actions jobs, plus a nightly cluster test.</summary>
partial class Build
{
    Target GenerateCI => _ => _
        .Description("Write .github/workflows/pipeline.yml and nightly.yml from the target graph.")
        .Executes(() => NotYet(nameof(GenerateCI), 10));
}
