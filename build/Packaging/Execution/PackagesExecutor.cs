using Pipeline.Engine;
using Pipeline.Packaging.Building;
using Pipeline.Packaging.Definitions;
using Pipeline.Packaging.Repository;
using System.Security.Cryptography;

namespace Pipeline.Packaging.Execution;

/// <summary>What one run did for one package.</summary>
public sealed record PackageOutcome(string Name, string Version, string FileName, string Sha256, bool UpToDate);

/// <summary>
/// The Packages target: every apps/*/package.yml becomes artifacts/packages/&lt;name&gt;_&lt;version&gt;_amd64.deb, and
/// artifacts/apt/ indexes them. Unchanged inputs do no work. Definitions are all validated before anything is written.
/// </summary>
public sealed class PackagesExecutor(PackageLayout layout, string? signingKey = null)
{
    public AbsolutePath PackagesDirectory => layout.Packages;
    public AbsolutePath RepositoryDirectory => layout.Repository;

    public async Task<IReadOnlyList<PackageOutcome>> RunAsync(CancellationToken cancellationToken)
    {
        var definitions = PackageDefinitionLoader.LoadAll(layout.Root);
        if (definitions.Count == 0)
        {
            Log.Warning("No apps/*/package.yml: no packages to build");
            return [];
        }

        var git = new GitRevisionReader(layout.Root);
        var sdk = await new SdkVersionCache(layout.SdkVersion).ReadAsync(layout.Root, cancellationToken);
        var outcomes = new List<PackageOutcome>();
        var newest = DateTimeOffset.MinValue;
        foreach (var definition in definitions)
        {
            var inputs = InputPaths(definition);
            // The revision and the file list are separate git commands: run together.
            var listing = git.ListFilesAsync(inputs, cancellationToken);
            var revision = await git.ReadAsync(inputs, cancellationToken);
            if (revision.CommitTime > newest) newest = revision.CommitTime;
            var inputsHash = InputsHash.Compute(
                layout.Root,
                await listing,
                [
                    $"sdk {sdk}",
                    $"revision {revision}",
                    $"publish {string.Join(' ', PublishCommand.Arguments("<project>", "<version>", "<output>"))}",
                ]
            );
            outcomes.Add(await BuildAsync(definition, revision, inputsHash, cancellationToken));
        }

        var releasePath = RepositoryDirectory / "Release";
        if (outcomes.All(o => o.UpToDate) && File.Exists(releasePath) && SignatureMatches())
        {
            Log.Information($"APT repository {Relative(RepositoryDirectory)}: up to date");
            return outcomes;
        }

        var signer = signingKey is null ? null : new GpgReleaseSigner(signingKey, layout.StateDirectory);
        await new AptRepositoryWriter(RepositoryDirectory, signer).WriteAsync(
            outcomes.Select(o => o.FileName).ToList(),
            newest,
            cancellationToken
        );
        RemoveStale(PackagesDirectory, outcomes.Select(o => o.FileName).ToHashSet());
        Log.Information(
            $"APT repository {Relative(RepositoryDirectory)}: {outcomes.Count} package(s) indexed{(signer is null ? "" : ", signed")}"
        );
        return outcomes;
    }

    private async Task<PackageOutcome> BuildAsync(
        PackageDefinition definition,
        SourceRevision revision,
        string inputsHash,
        CancellationToken cancellationToken
    )
    {
        var version = PackageVersion.Compose(definition.Version, revision);
        var fileName = PackageVersion.FileName(definition.Name, version);
        var statePath = layout.Stamp(definition.Name);
        var state = PackageState.Read(statePath);
        if (state is not null && state.FileName == fileName && state.Matches(inputsHash, [PackagesDirectory, layout.Pool]))
        {
            Log.Information($"{definition.Name} {version}: up to date ({Relative(PackagesDirectory / fileName)})");
            return new PackageOutcome(definition.Name, version, fileName, state.Sha256, UpToDate: true);
        }

        if (revision.Dirty)
            Log.Warning($"{definition.Name}: inputs have uncommitted changes, version {version} is not reproducible from git");
        Log.Information($"{definition.Name} {version}: publishing {definition.Project}");
        var executable = await new AppPublisher().PublishAsync(
            new AbsolutePath(definition.AppDirectory) / definition.Project, version,
            layout.Publish(definition.Name), definition.Executable, cancellationToken);

        var deb = DebBuilder.Build(definition, revision, executable);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(deb));
        AtomicFile.Write(PackagesDirectory / fileName, deb);
        AtomicFile.Write(layout.Pool / fileName, deb);
        new PackageState(inputsHash, fileName, sha256, deb.LongLength).Write(statePath);
        Log.Information(
            $"{definition.Name} {version}: wrote {Relative(PackagesDirectory / fileName)} ({deb.Length / 1024} KiB, sha256 "
            + $"{sha256})"
        );
        return new PackageOutcome(definition.Name, version, fileName, sha256, UpToDate: false);
    }

    /// <summary>The app folder, the packaging code and the repository-wide build settings.</summary>
    private IReadOnlyList<string> InputPaths(PackageDefinition definition)
    {
        string[] shared =
        [
            "Directory.Build.props",
            "Directory.Build.targets",
            "Directory.Packages.props",
            "global.json",
            "NuGet.config",
            "build/Packaging",
        ];
        return
        [
            Relative(new AbsolutePath(definition.AppDirectory)),
            .. shared.Where(p => (layout.Root / p).Exists),
        ];
    }

    /// <summary>Signed when a key is given, unsigned otherwise: a change of either rewrites the index.</summary>
    private bool SignatureMatches() => File.Exists(RepositoryDirectory / "InRelease") == (signingKey is not null);

    private static void RemoveStale(string directory, IReadOnlySet<string> keep)
    {
        foreach (var file in Directory.GetFiles(directory, "*.deb").Where(f => !keep.Contains(Path.GetFileName(f))))
            File.Delete(file);
    }

    private string Relative(AbsolutePath path) => path.RelativeTo(layout.Root);
}
