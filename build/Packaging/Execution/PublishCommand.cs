namespace Pipeline.Packaging.Execution;

/// <summary>
/// The dotnet publish arguments: trimmed, self-contained, single file for linux-x64, the version baked in, and
/// ReadyToRun (precompiled: the service answers in about a third of a second instead of two, which every health
/// gate of ClusterTest and Deploy waits for; the file grows from about 19 to 37 MB).
/// </summary>
public static class PublishCommand
{
    public const string RuntimeIdentifier = "linux-x64";

    public static IReadOnlyList<string> Arguments(string project, string version, string outputDirectory) =>
    [
        "publish", project,
        "--configuration", "Release",
        "--runtime", RuntimeIdentifier,
        "--self-contained",
        "--output", outputDirectory,
        "--nologo",
        "-p:PublishSingleFile=true",
        "-p:PublishTrimmed=true",
        "-p:PublishReadyToRun=true",
        $"-p:InformationalVersion={version}",
        "-p:ContinuousIntegrationBuild=true",
    ];
}
