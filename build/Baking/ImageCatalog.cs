using Pipeline.Definitions;
using Pipeline.Engine;

namespace Pipeline.Baking;

/// <summary>
/// All images of <c>images/</c>, validated together before anything is built: each file's schema, unknown parents,
/// cycles among images, missing scripts and files. <see cref="Images"/> is in dependency order (parents first).
/// </summary>
public sealed record ImageCatalog(IReadOnlyList<ImageDefinition> Images)
{
    /// <summary>The folder of the repository that holds one folder per image.</summary>
    public const string Folder = "images";

    public ImageDefinition this[string name] => Images.First(i => i.Name == name);

    /// <summary>Every <c>images/&lt;name&gt;/image.yml</c> of the repository at <paramref name="root"/>.</summary>
    public static ImageCatalog Load(AbsolutePath root, Func<string, string?> variables, string? defaultMirror = null)
    {
        var imagesDirectory = root / Folder;
        var folders = imagesDirectory.Exists
            ? Directory
                .GetDirectories(imagesDirectory)
                .Select(d => new AbsolutePath(d))
                .Where(d => File.Exists(d / ImageDefinitionLoader.FileName))
                .OrderBy(d => d.Value, StringComparer.Ordinal)
                .ToList()
            : [];
        var names = folders.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var mirror = defaultMirror ?? DebianMirror.FromAptSources();
        var images = folders.Select(f => ImageDefinitionLoader.Load(root, f, names, variables, mirror)).ToList();
        return new ImageCatalog(Order(images));
    }

    /// <summary>Parents before children (by name among equals); a cycle is a definition error naming it.</summary>
    public static IReadOnlyList<ImageDefinition> Order(IReadOnlyList<ImageDefinition> images)
    {
        var byName = images.ToDictionary(i => i.Name);
        var ordered = new List<ImageDefinition>();
        var state = new Dictionary<string, bool>(); // false: visiting, true: done
        foreach (var image in images.OrderBy(i => i.Name, StringComparer.Ordinal)) Visit(image, []);
        return ordered;

        void Visit(ImageDefinition image, List<string> trail)
        {
            if (state.TryGetValue(image.Name, out var done))
            {
                if (done) return;
                var cycle = trail.SkipWhile(n => n != image.Name).Append(image.Name);
                throw new DefinitionException(
                    image.File,
                    "from",
                    $"images form a cycle: {string.Join(" → ", cycle)} (one of them must start from another base)"
                );
            }
            state[image.Name] = false;
            if (image.Parent is { } parent)
            {
                if (!byName.TryGetValue(parent, out var p))
                    throw new DefinitionException(image.File, "from", $"'{parent}' is not an image of images/");
                Visit(p, [.. trail, image.Name]);
            }
            state[image.Name] = true;
            ordered.Add(image);
        }
    }

    /// <summary>The image and everything that starts from it, directly or not.</summary>
    public IReadOnlyList<string> WithDescendants(string name)
    {
        var result = new List<string> { name };
        foreach (var image in Images)
            if (image.Parent is { } p && result.Contains(p) && !result.Contains(image.Name)) result.Add(image.Name);
        return result;
    }

    /// <summary>The images of images/ this one starts from, nearest first.</summary>
    public IReadOnlyList<string> Ancestors(string name)
    {
        var result = new List<string>();
        for (var parent = this[name].Parent; parent is not null; parent = this[parent].Parent) result.Add(parent);
        return result;
    }
}
