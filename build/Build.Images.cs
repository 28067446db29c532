using Pipeline.Engine;

namespace Pipeline;

/// <summary>Packer-style, content-addressed images from images/*/image.yml through the Docker Engine API.</summary>
partial class Build
{
    Target ValidateImages => _ => _
        .Description("Check every images/*/image.yml (schema, parents, cycles, referenced files) before anything is built.")
        .Executes(() => NotYet(nameof(ValidateImages), 4));

    Target Images => _ => _
        .Description("Bake the images of images/ that changed (content-addressed); write artifacts/images.json.")
        .DependsOn(ValidateImages, Packages)
        .Executes(() => NotYet(nameof(Images), 4));
}
