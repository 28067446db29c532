using Pipeline.Engine;

namespace Pipeline;

/// <summary>A compose replica of production (environments/virtual/), its checks, and guaranteed teardown.</summary>
partial class Build
{
    Target ClusterTest => _ => _
        .Description("Start the virtual cluster from artifacts/images.json, wait for health, run the checks, keep the logs, tear down.")
        .DependsOn(Images)
        .Executes(() => NotYet(nameof(ClusterTest), 5));
}
