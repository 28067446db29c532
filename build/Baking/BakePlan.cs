namespace Pipeline.Baking;

/// <summary>One image as it would be baked: its Dockerfile and context, its input hash, and the tags it gets.</summary>
/// <param name="From">The exact FROM reference.</param>
/// <param name="HashTag">The content-addressed tag <c>&lt;name&gt;:&lt;hash12&gt;</c> (with the repository prefix).</param>
/// <param name="Tags">The definition's tags (with the prefix).</param>
/// <param name="Base">The debootstrap base to make (or import) first, if the image starts from one.</param>
public sealed record PlannedImage(
    ImageDefinition Definition,
    string From,
    GeneratedImage Generated,
    string InputHash,
    string HashTag,
    IReadOnlyList<string> Tags,
    DebootstrapBase? Base
)
{
    public string Name => Definition.Name;
    public string Dockerfile => Generated.DockerfileWithHash(Definition.Name, InputHash);
}

/// <summary>A debootstrap base image: its definition, cache key and the reference it is imported as.</summary>
public sealed record DebootstrapBase(ImageSource.Debootstrap Source, string Key, string Reference);

/// <summary>How images are named: <see cref="Prefix"/> goes before every repository name (tests use their own).</summary>
public sealed record BakeNaming(string Prefix = "")
{
    public string Repository(string name) => Prefix + name;
    public string HashTag(string name, string hash) => $"{Prefix}{name}:{InputHash.Short(hash)}";
    public string Tag(string tag) => Prefix + tag;
    public string Debootstrap(ImageSource.Debootstrap d, string key) => $"{Prefix}debootstrap-{d.Suite}-{d.Variant}:{InputHash.Short(key)}";
}

/// <summary>Plans a bake: every image's Dockerfile, context and input hash, parents first. Reads files, sends nothing.</summary>
public static class BakePlanner
{
    public static IReadOnlyList<PlannedImage> Plan(ImageCatalog catalog, LocalAptRepository apt, BakeNaming naming)
    {
        var planned = new Dictionary<string, PlannedImage>(StringComparer.Ordinal);
        foreach (var image in catalog.Images)
        {
            DebootstrapBase? debootstrap = null;
            var (from, parentHash) = image.From switch
            {
                ImageSource.Image p => (planned[p.Name].HashTag, planned[p.Name].InputHash),
                ImageSource.Registry r => (r.Reference, $"registry {r.Reference}"),
                ImageSource.Debootstrap d => Debootstrap(d),
                _ => throw new InvalidOperationException(image.From.ToString()),
            };
            var packages = image.Provisioners.OfType<Provisioner.Packages>()
                .ToDictionary(p => p.KeyPath, p => apt.Resolve(p.Names, image.File, p.KeyPath));
            var generated = DockerfileGenerator.Generate(image, from, packages, apt.Directory);
            var hash = InputHash.Compute(generated, parentHash);
            planned[image.Name] = new PlannedImage(image, from, generated, hash, naming.HashTag(image.Name, hash),
                image.Outputs.Tags.Select(naming.Tag).ToList(), debootstrap);

            (string, string) Debootstrap(ImageSource.Debootstrap d)
            {
                var key = InputHash.Debootstrap(d);
                debootstrap = new DebootstrapBase(d, key, naming.Debootstrap(d, key));
                return (debootstrap.Reference, $"debootstrap {key}");
            }
        }
        return [.. catalog.Images.Select(i => planned[i.Name])];
    }
}
