using Pipeline.Packaging.Building;
using Pipeline.Packaging.Definitions;
using System.Text;

namespace Pipeline.Tests.Packaging;

/// <summary>A heartbeat-like definition in memory, and helpers to vary it.</summary>
internal static class SamplePackage
{
    public const string File = "apps/heartbeat/package.yml";

    public const string Yaml = """
        name: heartbeat
        version: 0.1.0
        summary: liveness service
        description: |
          Answers GET /heartbeat.

          Second paragraph.
        maintainer: Jane Doe <jane@example.org>
        homepage: https://example.org/heartbeat
        section: net
        copyright: 2026 The Pipeline authors
        license: MIT
        depends: [libc6 (>= 2.27), libstdc++6]
        project: Heartbeat.csproj
        executable: heartbeat
        service:
          user: heartbeat
          stop_timeout_sec: 20
        config:
          - path: /etc/default/heartbeat
            source: heartbeat.default
            mode: "0640"
            group: heartbeat
        lintian_overrides:
          - embedded-library zlib [usr/bin/heartbeat]
        """;

    public static readonly SourceRevision Revision = new("1a2b3c4", DateTimeOffset.FromUnixTimeSeconds(1_780_000_000), Dirty: false);
    public static readonly byte[] Executable = Encoding.ASCII.GetBytes("\u007fELF pretend executable");

    public static readonly IReadOnlyDictionary<string, byte[]> AppFiles = new Dictionary<string, byte[]>
    {
        ["Heartbeat.csproj"] = "<Project />"u8.ToArray(),
        ["heartbeat.default"] = "HEARTBEAT_PORT=8080\n"u8.ToArray(),
    };

    public static PackageDefinition Parse(string yaml = Yaml) =>
        PackageDefinitionParser.Parse(File, yaml, path => AppFiles.GetValueOrDefault(path));

    public static PackageDefinition Definition => Parse() with { Source = File };

    /// <summary>The sample with one line replaced (matched by its start, indentation kept).</summary>
    public static string With(string lineStart, string replacement)
    {
        var lines = Yaml.Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimStart().StartsWith(lineStart, StringComparison.Ordinal));
        if (index < 0) throw new ArgumentException($"no line starts with {lineStart}");
        var indent = lines[index][..(lines[index].Length - lines[index].TrimStart().Length)];
        lines[index] = replacement.Length == 0 ? "" : indent + replacement;
        return string.Join('\n', lines);
    }
}
