using Pipeline.Engine;

namespace Pipeline;

/// <summary>Rolling deploys of published digests to the environment's instance groups.</summary>
partial class Build
{
    Target Plan => _ => _
        .Description("Show, Terraform-style, what Deploy would change in each instance group; change nothing.")
        .After(Publish)
        .Executes(() => NotYet(nameof(Plan), 7));

    Target Deploy => _ => _
        .Description("Roll the published images out to the environment's instance groups: batches, drain, health gates, rollback, lock.")
        .DependsOn(Publish)
        .After(ClusterTest, Certificates)
        .Executes(() => NotYet(nameof(Deploy), 7));

    Target Unlock => _ => _
        .Description("Remove a stale deploy lock (--force with its nonce).")
        .Executes(() => NotYet(nameof(Unlock), 7));
}
