using Pipeline.Engine;

namespace Pipeline.CI;

/// <summary>
/// Where the CI targets read and leave things on this machine: the image archives jobs hand on
/// (<c>artifacts/ci-images/</c>, the folder the generated workflows upload, cache and download) and the manifest that
/// names the images a job needs (<c>artifacts/images.json</c>). One object, so no step joins paths by hand.
/// </summary>
/// <param name="Root">The repository root: the workflows' paths are relative to it, and so are the paths it prints.</param>
/// <param name="Artifacts">Where artifacts/images.json is read.</param>
public sealed record CiLayout(AbsolutePath Root, AbsolutePath Artifacts)
{
    /// <summary>The layout of a build: the repository root and its artifacts folder.</summary>
    public static CiLayout Of(AbsolutePath root, AbsolutePath artifactsDirectory) => new(root, artifactsDirectory);

    /// <summary>artifacts/ci-images/: the gzip archives named by input hash (where the workflows put the 'images' artifact).</summary>
    public AbsolutePath ImageArchives => Root / WorkflowGenerator.ImagesFolder;

    /// <summary>artifacts/images.json: the images Images baked, which a later job must find in its engine.</summary>
    public AbsolutePath ImagesManifest => Artifacts / "images.json";

    /// <summary>A path as the workflows and messages write it: relative to <see cref="Root"/>.</summary>
    public string Relative(AbsolutePath path) => path.RelativeTo(Root);
}
