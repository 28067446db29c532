using Pipeline.Deploying;
using Pipeline.Engine;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>A temporary root laid out as the build lays out the repository: artifacts/ and .nuke/temp/deploy under it.</summary>
internal static class DeployLayouts
{
    public static DeployLayout In(string root)
    {
        var path = new AbsolutePath(root);
        return DeployLayout.Of(path, path / "artifacts", path / ".nuke" / "temp");
    }
}
