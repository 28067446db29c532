using Pipeline.Definitions;

namespace Pipeline.Packaging.Definitions;

/// <summary>
/// Turns the text of a package.yml into a validated <see cref="PackageDefinition"/>; errors are one line with file,
/// key path and position (<see cref="DefinitionException"/>, exit 2). Pure: files the definition names (project,
/// config sources) are read through <c>readAppFile</c>, relative to the app folder.
/// </summary>
public static class PackageDefinitionParser
{
    private static readonly string[] TopLevelKeys =
        ["name", "version", "summary", "description", "maintainer", "homepage", "section", "priority",
         "copyright", "license", "depends", "project", "executable", "service", "config", "lintian_overrides"];

    public static PackageDefinition Parse(string file, string text, Func<string, byte[]?> readAppFile)
    {
        // No ${VAR} from the environment: a package's bytes depend only on the repository.
        var root = DefinitionFile.Parse(text, file, _ => null);
        if (!root.IsMapping) throw root.Error("must be a mapping with name, version, summary, description, maintainer, copyright, license");
        root.AllowOnly(TopLevelKeys);

        var name = Check(root.Required("name", "e.g. heartbeat"), DebianSyntax.IsPackageName,
            "must be a Debian package name: lower-case letters, digits, '+', '-', '.', at least 2 characters (e.g. heartbeat)");
        var version = Check(root.Required("version", "a semantic version, e.g. 0.1.0"), DebianSyntax.IsSemanticVersion,
            "must be a semantic version (e.g. 1.2.3 or 1.2.3-rc.1)");
        var summary = Check(root.Required("summary", "one line, e.g. liveness service"), s => s.Length <= 80 && !s.Contains('\n'),
            "must be one line of at most 80 characters");
        var description = root.Required("description", "a paragraph telling what the package does").String().Trim();
        var maintainer = Check(root.Required("maintainer", "e.g. Jane Doe <jane@example.org>"), DebianSyntax.IsMaintainer,
            "must look like: Jane Doe <jane@example.org>");
        var homepage = root.Optional("homepage") is { } homepageNode
            ? Check(homepageNode, DebianSyntax.IsHomepage, "must be an http(s) URL")
            : null;
        var section = root.Optional("section") is { } sectionNode
            ? Check(sectionNode, DebianSyntax.IsSection, "must be a Debian section (e.g. net or misc)")
            : "misc";
        var priority = root.Optional("priority") is { } priorityNode
            ? Check(priorityNode, DebianSyntax.Priorities.Contains, $"must be one of {string.Join(", ", DebianSyntax.Priorities)}")
            : "optional";
        var depends = root.Optional("depends")?.Items()
            .Select(item => Check(item, DebianSyntax.IsRelation, "must be a package relation (e.g. libc6 (>= 2.31))")).ToList() ?? [];

        var projectNode = root.Optional("project");
        var project = projectNode is null
            ? $"{name}.csproj"
            : Check(
                projectNode,
                p => p.EndsWith(".csproj", StringComparison.Ordinal) && IsInsideApp(p),
                "must be a .csproj file inside the app folder"
            );
        if (readAppFile(project) is null)
            throw (projectNode ?? root).Error(
                $"'{project}' does not exist in the app folder{(projectNode is null ? " (set 'project')" : "")}"
            );

        var executable = root.Optional("executable") is { } executableNode
            ? Check(executableNode, e => !e.Contains('/') && !e.StartsWith('.'), "must be a plain file name")
            : name;

        var service = ParseService(root.Optional("service"));
        return new PackageDefinition(
            name,
            version,
            summary,
            description,
            maintainer,
            homepage,
            section,
            priority,
            Copyright: root.Required("copyright", "e.g. 2026 The Pipeline authors").String().Trim(),
            License: root.Required("license", "e.g. MIT").String().Trim(),
            depends,
            project,
            executable,
            service,
            ConfigFiles: ParseConfigFiles(root.Optional("config"), service, readAppFile),
            LintianOverrides: root.Optional("lintian_overrides")
                ?.Items()
                .Select(item =>
                    Check(
                        item,
                        o => o.Length > 0 && !o.Contains('\n') && !o.StartsWith('#'),
                        "must be one line: a tag and its context (e.g. embedded-library zlib [usr/bin/heartbeat])"
                    )
                )
                .ToList()
                ?? []
        );
    }

    private static ServiceOptions? ParseService(DefinitionNode? node)
    {
        if (node is null) return null;
        node.AllowOnly("user", "restart", "restart_sec", "stop_timeout_sec", "after", "arguments");

        var user = Check(node.Required("user", "the system user to run as, e.g. heartbeat"), u => DebianSyntax.IsUserName(u) && u != "root",
            "must be a valid user name (e.g. heartbeat)");
        var restart = node.Optional("restart") is { } restartNode
            ? Check(restartNode, DebianSyntax.RestartPolicies.Contains, $"must be one of {string.Join(", ", DebianSyntax.RestartPolicies)}")
            : "on-failure";
        var after = node.Optional("after")
            ?.Items()
            .Select(item => Check(item, DebianSyntax.IsSystemdUnitName, "must be a systemd unit name (e.g. network-online.target)"))
            .ToList()
            ?? [];
        var arguments = node.Optional("arguments")?.Items()
            .Select(item => Check(item, a => a.Length > 0 && !a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '%' or '$'),
                "must not be empty or contain spaces, quotes, '\\', '%' or '$'")).ToList() ?? [];

        return new ServiceOptions(user, restart,
            RestartSec: node.Optional("restart_sec")?.Int(0, 3600) ?? 2,
            StopTimeoutSec: node.Optional("stop_timeout_sec")?.Int(1, 3600) ?? 30,
            after.Count == 0 ? ["network-online.target"] : after,
            arguments);
    }

    private static IReadOnlyList<ConfigFile> ParseConfigFiles(
        DefinitionNode? node,
        ServiceOptions? service,
        Func<string, byte[]?> readAppFile
    )
    {
        var files = new List<ConfigFile>();
        foreach (var entry in node?.Items() ?? [])
        {
            entry.AllowOnly("path", "source", "mode", "group");
            var pathNode = entry.Required("path", "e.g. /etc/default/heartbeat");
            var path = Check(
                pathNode,
                p =>
                    p.StartsWith("/etc/", StringComparison.Ordinal) && !p.Contains("/../") && !p.EndsWith('/') && !p.Any(char.IsWhiteSpace),
                "must be a file path under /etc/ (e.g. /etc/default/heartbeat)"
            );
            if (files.Any(f => f.Path == path)) throw pathNode.Error($"'{path}' is listed twice");

            var sourceNode = entry.Required("source", "a file in the app folder, e.g. heartbeat.default");
            var source = Check(sourceNode, IsInsideApp, "must be a file inside the app folder");
            var content = readAppFile(source) ?? throw sourceNode.Error($"'{source}' does not exist in the app folder");

            var modeNode = entry.Optional("mode");
            var mode = modeNode is null
                ? 0b110_100_100
                : ParseMode(modeNode.String())
                    ?? throw modeNode.Error(
                        $"'{modeNode.String()}' must be an octal mode readable by its owner, not executable, within 0666 (e.g. \"0644\" "
                        + $"or \"0640\")"
                    );

            var groupNode = entry.Optional("group");
            var group = groupNode is null ? "root" : Check(groupNode, g => g == "root" || g == service?.User,
                $"must be root or the service user{(service is null ? " (there is no service)" : $" ({service.User})")}");
            files.Add(new ConfigFile(path, content, mode, group));
        }
        return files;
    }

    private static string Check(DefinitionNode node, Func<string, bool> isValid, string problem)
    {
        var value = node.String().Trim();
        return isValid(value) ? value : throw node.Error(problem);
    }

    private static bool IsInsideApp(string relative) => !relative.Contains("..") && !Path.IsPathRooted(relative) && relative.Length > 0;

    private static int? ParseMode(string text)
    {
        if (text.Length is < 3 or > 4 || text.Any(c => c is < '0' or > '7')) return null;
        var mode = Convert.ToInt32(text, 8);
        return (mode & ~0x1B6) == 0 && (mode & 0x100) != 0 ? mode : null; // within 0666, owner can read
    }
}
