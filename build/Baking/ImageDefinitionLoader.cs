using Pipeline.Definitions;
using Pipeline.Engine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Baking;

/// <summary>Reads one <c>image.yml</c> into an <see cref="ImageDefinition"/>; every error names the file, key path and position.</summary>
public static partial class ImageDefinitionLoader
{
    private static readonly string[] TopKeys =
    [
        "description",
        "from",
        "provisioners",
        "cmd",
        "entrypoint",
        "expose",
        "healthcheck",
        "labels",
        "tags",
        "save",
    ];
    private static readonly string[] ProvisionerKinds = ["file", "shell", "apt", "packages", "env", "user", "workdir"];

    /// <summary>The definition file of an image's folder.</summary>
    public const string FileName = "image.yml";

    /// <param name="root">The repository root (scripts are relative to it).</param>
    /// <param name="directory">The image's folder, <c>images/&lt;name&gt;</c>.</param>
    /// <param name="imageNames">The names of all images of images/, to tell a parent from a registry reference.</param>
    public static ImageDefinition Load(
        AbsolutePath root,
        AbsolutePath directory,
        IReadOnlySet<string> imageNames,
        Func<string, string?> variables,
        string defaultMirror
    )
    {
        var name = directory.Name;
        var file = (directory / FileName).RelativeTo(root);
        var node = DefinitionFile.Load(directory / FileName, file, variables);
        if (!node.IsMapping) throw node.Error("must be a mapping with from:, provisioners: and image settings");
        node.AllowOnly(TopKeys);
        if (!ValidName().IsMatch(name))
            throw new DefinitionException(
                file,
                "",
                $"'{name}' is not a valid image name (rename the folder: lower-case letters, digits, '.', '_' or '-')"
            );

        var from = Source(
            node.Required("from", "an image of images/, a registry reference like debian:bookworm-slim, or debootstrap: {suite: bookworm}"),
            imageNames,
            defaultMirror
        );
        var provisioners = node.Optional("provisioners")?.Items().Select(p => ReadProvisioner(p, root, directory)).ToList() ?? [];
        var settings = new ImageSettings
        {
            Cmd = node.Optional("cmd")?.Strings(),
            Entrypoint = node.Optional("entrypoint")?.Strings(),
            Expose = node.Optional("expose") is { } expose ? expose.ItemsOrSelf().Select(Port).ToList() : [],
            Healthcheck = node.Optional("healthcheck") is { } h ? ReadHealthcheck(h) : null,
            Labels = Map(node.Optional("labels")),
        };
        var tags = node.Optional("tags")?.Strings() ?? [$"{name}:latest"];
        foreach (var (tag, i) in tags.Select((t, i) => (t, i)))
            if (!TagPattern().IsMatch(tag))
                throw node.Required("tags").Error($"'{tag}' is not a valid image tag (write repository:tag, e.g. {name}:latest)");
        var save = node.Optional("save")?.Bool() ?? false;
        return new ImageDefinition(name, file, directory, from, provisioners, settings, new ImageOutputs(tags, save));
    }

    private static ImageSource Source(DefinitionNode node, IReadOnlySet<string> imageNames, string defaultMirror)
    {
        if (!node.IsMapping)
        {
            var text = node.String();
            if (imageNames.Contains(text)) return new ImageSource.Image(text);
            if (!text.Contains(':') && !text.Contains('/') && !text.Contains('@'))
                throw node.Error(
                    $"'{text}' is not an image of images/.{NameHints.Suggest(text, imageNames)} (for a registry image, write a reference "
                    + $"with a tag, e.g. debian:bookworm-slim)"
                );
            return new ImageSource.Registry(text);
        }
        node.AllowOnly("image", "reference", "debootstrap");
        if (node.Optional("image") is { } image)
        {
            var parent = image.String();
            return imageNames.Contains(parent) ? new ImageSource.Image(parent)
                : throw image.Error($"'{parent}' is not an image of images/.{NameHints.Suggest(parent, imageNames)}");
        }
        if (node.Optional("reference") is { } reference) return new ImageSource.Registry(reference.String());
        var d = node.Optional("debootstrap") ?? throw node.Error("needs one of image:, reference: or debootstrap:");
        d.AllowOnly("suite", "variant", "mirror", "packages");
        return new ImageSource.Debootstrap(
            d.Required("suite", "e.g. bookworm").String(),
            d.Optional("variant")?.String() ?? "minbase",
            d.Optional("mirror")?.String() ?? defaultMirror,
            d.Optional("packages")?.Strings().Order(StringComparer.Ordinal).ToList() ?? []);
    }

    private static Provisioner ReadProvisioner(DefinitionNode item, AbsolutePath root, AbsolutePath directory)
    {
        if (!item.IsMapping) throw item.Error($"must be a mapping with one of {string.Join(", ", ProvisionerKinds)}");
        var entries = item.Entries().ToList();
        if (entries.Count != 1)
            throw item.Error(
                $"must have exactly one of {string.Join(", ", ProvisionerKinds)} (found {string.Join(", ", entries.Select(e => e.Key))})"
            );
        item.AllowOnly(ProvisionerKinds);
        var (kind, value) = entries[0];
        var at = item.Path;
        switch (kind)
        {
            case "file":
                value.AllowOnly("source", "destination", "mode", "owner");
                var source = value.Required("source", "a file of the image's folder").String();
                var sourcePath = InsideFolder(value.Required("source"), directory, source, "the repository", root);
                var mode = value.Optional("mode")?.String();
                if (mode is not null && !ModePattern().IsMatch(mode))
                    throw value.Required("mode").Error($"'{mode}' must be octal permissions like \"0644\" (quote it)");
                return new Provisioner.File(
                    at,
                    source,
                    sourcePath,
                    value.Required("destination", "an absolute path in the image").String(),
                    mode,
                    value.Optional("owner")?.String()
                );
            case "shell":
                value.AllowOnly("script", "inline", "env");
                var script = value.Optional("script")?.String();
                var inline = value.Optional("inline")?.Strings() ?? [];
                if ((script is null) == (inline.Count == 0))
                    throw value.Error("needs either script: (a file of scripts/) or inline: (commands), not both");
                var scriptPath = script is null
                    ? null
                    : InsideFolder(value.Required("script"), root, script, "the repository (e.g. scripts/setup.sh)", root);
                return new Provisioner.Shell(at, script, scriptPath, inline, Map(value.Optional("env")));
            case "apt":
                return new Provisioner.Apt(at, NonEmpty(value, value.Strings(), "Debian package names"));
            case "packages":
                return new Provisioner.Packages(at, NonEmpty(value, value.Strings(), "names of packages the Packages target builds"));
            case "env":
                return new Provisioner.Env(at, Map(value));
            case "user":
                return new Provisioner.User(at, value.String());
            default:
                var path = value.String();
                return path.StartsWith('/') ? new Provisioner.Workdir(at, path) : throw value.Error($"'{path}' must be an absolute path");
        }
    }

    private static Healthcheck ReadHealthcheck(DefinitionNode node)
    {
        node.AllowOnly("test", "interval", "timeout", "retries", "start-period");
        var test = node.Required("test", "a command list, or one shell command line");
        return new Healthcheck(test.Strings(), !test.IsSequence,
            node.Optional("interval")?.Duration() ?? TimeSpan.FromSeconds(10),
            node.Optional("timeout")?.Duration() ?? TimeSpan.FromSeconds(5),
            node.Optional("retries")?.Int(1, 100) ?? 3,
            node.Optional("start-period")?.Duration() ?? TimeSpan.Zero);
    }

    /// <summary>Resolves <paramref name="relative"/> against <paramref name="folder"/>; it must stay inside <paramref name="boundary"/> and
    /// exist.</summary>
    private static string InsideFolder(DefinitionNode node, AbsolutePath folder, string relative, string what, AbsolutePath boundary)
    {
        var full = folder / relative;
        var baseDir = boundary.Value.TrimEnd('/') + "/";
        if (System.IO.Path.IsPathRooted(relative) || !full.Value.StartsWith(baseDir, StringComparison.Ordinal))
            throw node.Error($"'{relative}' must be a relative path inside {what}");
        if (!System.IO.File.Exists(full))
            throw node.Error($"'{relative}' does not exist (looked for {full.RelativeTo(boundary)})");
        return full;
    }

    private static IReadOnlyDictionary<string, string> Map(DefinitionNode? node) =>
        node is null ? new SortedDictionary<string, string>(StringComparer.Ordinal)
            : new SortedDictionary<string, string>(node.Entries().ToDictionary(e => e.Key, e => e.Value.String()), StringComparer.Ordinal);

    private static IReadOnlyList<string> NonEmpty(DefinitionNode node, IReadOnlyList<string> values, string what) =>
        values.Count > 0 && values.All(v => v.Trim().Length > 0) ? values : throw node.Error($"must list {what}");

    /// <summary>An exposed port, 1–65535, with an optional /tcp or /udp; an error points at the item itself.</summary>
    private static string Port(DefinitionNode node)
    {
        var port = node.String();
        if (PortPattern().Match(port) is not { Success: true } m) throw node.Error($"'{port}' must be a port like 8080 or 8080/udp");
        var number = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return number is >= 1 and <= 65535 ? port : throw node.Error($"port {number} is outside 1-65535");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")] private static partial Regex ValidName();
    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/:-]*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")] private static partial Regex TagPattern();
    [GeneratedRegex("^0?[0-7]{3,4}$")] private static partial Regex ModePattern();
    [GeneratedRegex(@"^(\d{1,5})(/(tcp|udp))?$")] private static partial Regex PortPattern();
}

internal static class NameHints
{
    public static string Suggest(string value, IEnumerable<string> known) => Pipeline.Engine.Suggestions.DidYouMean(value, known.ToArray());
}
