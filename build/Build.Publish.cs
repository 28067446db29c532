using Pipeline.Engine;

namespace Pipeline;

/// <summary>Images to the environment's registries, by digest (artifacts/published.json).</summary>
partial class Build
{
    Target Publish => _ => _
        .Description("Push the images of artifacts/images.json to the environment's registries, skipping what is there; write artifacts/published.json.")
        .DependsOn(Images)
        .After(ClusterTest)
        .Executes(() => NotYet(nameof(Publish), 6));

    Target Promote => _ => _
        .Description("Give a published digest another tag or copy it to another environment's registry, without rebuilding.")
        .Executes(() => NotYet(nameof(Promote), 6));
}
