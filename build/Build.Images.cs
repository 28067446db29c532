using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;

namespace Pipeline;

/// <summary>Packer-style, content-addressed images from images/*/image.yml through the Docker Engine API.</summary>
partial class Build
{
    /// <summary>The Docker engine (Debian's docker.io); started only when nothing answers on /var/run/docker.sock.</summary>
    LocalService Dockerd => DockerDaemon.Spec();

    Target ValidateImages => _ => _
        .Description("Check every images/*/image.yml (schema, parents, cycles, referenced files) before anything is built.")
        .Executes(() => NotYet(nameof(ValidateImages), 4));

    Target Images => _ => _
        .Description("Bake the images of images/ that changed (content-addressed); write artifacts/images.json.")
        .DependsOn(ValidateImages, Packages)
        .Executes(() => NotYet(nameof(Images), 4));
}
