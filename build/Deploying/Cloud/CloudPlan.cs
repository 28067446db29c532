using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// What a cloud group's Plan shows, the same for every provider: one replacement when the group's template (launch
/// template version, instance template) is not the desired one, and a resize when its size is not <c>count</c>.
/// Nothing when both match, so <c>Plan --detailed-exitcode</c> exits 0 right after a deploy.
/// </summary>
internal static class CloudPlan
{
    /// <param name="template">The template line, e.g. "launch template web v3"; null when the template is the desired one.</param>
    /// <param name="running">The image the current template runs, or why it is not known.</param>
    /// <param name="differs">Said when the template differs while the image is the same.</param>
    /// <param name="size">The group's current size, and what the cloud calls it ("desired capacity", "target size").</param>
    public static GroupPlan Make(
        GroupDefinition group,
        string image,
        string running,
        string? template,
        string differs,
        (int Current, string Name) size
    )
    {
        var changes = new List<InstanceChange>();
        if (template is not null)
            changes.Add(new(ChangeKind.Replace, $"{group.Name} ({template})", 0, running, image, running == image ? differs : null));
        if (size.Current != group.Count)
            changes.Add(
                new(
                    size.Current < group.Count ? ChangeKind.Create : ChangeKind.Remove,
                    $"{group.Name} ×{Math.Abs(group.Count - size.Current)}",
                    0,
                    running,
                    image,
                    $"{size.Name} {size.Current} → {group.Count}"
                )
            );
        return new GroupPlan(group, image, changes);
    }

}
