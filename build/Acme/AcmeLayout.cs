using Pipeline.Engine;

namespace Pipeline.Acme;

/// <summary>
/// Where certificates keep their local state (the environment's <c>acme.json</c>, under <c>.nuke/temp/acme/&lt;env&gt;</c>)
/// and where the certificates: section's relative paths (trust file, install directory, HAProxy socket, DNS hooks)
/// start: the repository root. One object, so no step joins paths by hand.
/// </summary>
/// <param name="Root">The repository root: the section's relative paths are relative to it, and hooks run there.</param>
/// <param name="StateDirectory">The environment's own state folder.</param>
public sealed record AcmeLayout(AbsolutePath Root, AbsolutePath StateDirectory)
{
    /// <summary>The layout of <paramref name="environment"/>: its state in
    /// <c>&lt;temporaryDirectory&gt;/acme/&lt;environment&gt;</c>.</summary>
    public static AcmeLayout Of(AbsolutePath root, AbsolutePath temporaryDirectory, string environment) =>
        new(root, temporaryDirectory / "acme" / environment);

    /// <summary>The ACME state (account, certificates), mode 0600.</summary>
    public AbsolutePath StateFile => StateDirectory / "acme.json";

    /// <summary>A path of the certificates: section, absolute as given or relative to <see cref="Root"/>.</summary>
    public AbsolutePath Resolve(string path) => AbsolutePath.Parse(path, Root);
}
