namespace Pipeline.Deploying.Rolling;

/// <summary>
/// A deploy's id in the journal, the audit record and the timeline's file name: its start time and a random suffix,
/// so two deploys of a group started in the same second never share files. Cloud deploys put their kind in front.
/// </summary>
public static class DeployId
{
    public static string New(DateTimeOffset started, string? kind = null) =>
        $"{(kind is null ? "" : kind + "-")}{started:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";
}
