using Pipeline.Engine;
using System.Globalization;

namespace Pipeline.Baking;

/// <summary>One stanza of the local APT repository's <c>Packages</c> index.</summary>
public sealed record AptPackage(string Name, string Version, string Filename, string Sha256, IReadOnlyList<string> Depends, string Stanza)
{
    public string FileName => Path.GetFileName(Filename);

    /// <summary>The .deb's size as the index states it.</summary>
    public long? Size { get; init; }

    /// <summary>
    /// The index's SHA-256 of the .deb where the file in <paramref name="directory"/> is the one the index describes: the
    /// size it states, and not written since the index was (the Packages target writes the index last); null otherwise, and
    /// then the file itself is hashed. A no-op bake reads no package.
    /// </summary>
    public string? IndexedSha256(string directory) =>
        Sha256.Length == 64 && AtomicFile.UnchangedSince(
            Path.Combine(directory, Filename), Size, File.GetLastWriteTimeUtc(Path.Combine(directory, "Packages"))) ? Sha256 : null;
}

/// <summary>
/// The flat APT repository the Packages target writes (<c>artifacts/apt/Packages</c> and the .debs it names);
/// the <c>packages</c> provisioner installs from it.
/// </summary>
public sealed record LocalAptRepository(string Directory, IReadOnlyDictionary<string, AptPackage> Packages)
{
    public static LocalAptRepository Empty(string directory) => new(directory, new Dictionary<string, AptPackage>());

    /// <summary>Reads <c>Packages</c> of <paramref name="directory"/>; a missing repository is empty (checked when a package is asked
    /// for).</summary>
    public static LocalAptRepository Load(string directory)
    {
        var index = Path.Combine(directory, "Packages");
        return File.Exists(index) ? Parse(directory, File.ReadAllText(index)) : Empty(directory);
    }

    public static LocalAptRepository Parse(string directory, string packagesIndex)
    {
        var packages = new Dictionary<string, AptPackage>(StringComparer.Ordinal);
        foreach (var stanza in packagesIndex.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? last = null;
            foreach (var line in stanza.Split('\n'))
            {
                if (line.StartsWith(' ') && last is not null) { fields[last] += "\n" + line; continue; }
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                last = line[..colon];
                fields[last] = line[(colon + 1)..].Trim();
            }
            if (!fields.TryGetValue("Package", out var name) || !fields.TryGetValue("Filename", out var file)) continue;
            var depends = (fields.GetValueOrDefault("Depends") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(d => d.Split(' ', '(', '|', ':')[0].Trim())
                .Where(d => d.Length > 0)
                .ToList();
            var package = new AptPackage(
                name,
                fields.GetValueOrDefault("Version") ?? "",
                file,
                fields.GetValueOrDefault("SHA256") ?? "",
                depends,
                stanza.Trim()
            )
            {
                Size = long.TryParse(fields.GetValueOrDefault("Size"), CultureInfo.InvariantCulture, out var size) ? size : null,
            };
            if (!packages.TryGetValue(name, out var existing) || string.CompareOrdinal(existing.Version, package.Version) < 0)
                packages[name] = package;
        }
        return new LocalAptRepository(directory, packages);
    }

    /// <summary>The named packages and those of ours they depend on (the rest comes from Debian), by name.</summary>
    public IReadOnlyList<AptPackage> Resolve(IReadOnlyList<string> names, string file, string keyPath)
    {
        var result = new SortedDictionary<string, AptPackage>(StringComparer.Ordinal);
        var queue = new Queue<string>(names);
        while (queue.TryDequeue(out var name))
        {
            if (result.ContainsKey(name)) continue;
            if (!Packages.TryGetValue(name, out var package))
            {
                if (names.Contains(name))
                    throw new PipelineException(
                        $"{file}: {keyPath}: package '{name}' is not in {Directory}/Packages (run ./build.sh Packages; it has: "
                        + $"{(Packages.Count == 0 ? "nothing" : string.Join(", ", Packages.Keys))})"
                    );
                continue; // a Debian dependency
            }
            if (!File.Exists(Path.Combine(Directory, package.Filename)))
                throw new PipelineException($"{file}: {keyPath}: {Directory}/{package.Filename} is missing (run ./build.sh Packages)");
            result[name] = package;
            foreach (var d in package.Depends) queue.Enqueue(d);
        }
        return [.. result.Values];
    }
}
