using Pipeline.Engine;
using Pipeline.Tools.Haproxy;
using System.Text;

namespace Pipeline.Acme;

/// <summary>
/// Writes one HAProxy PEM bundle per names set (the chain, leaf first, then the private key), mode 0600; when
/// HAProxy answers on its runtime socket, updates the certificates it already serves without a reload
/// (<c>set ssl cert</c> + <c>commit ssl cert</c>).
/// </summary>
public static class PemBundleInstaller
{
    public static string BundleFileName(CertificateState certificate) => certificate.Names[0].Replace("*", "_wildcard") + ".pem";

    public static string Bundle(CertificateState certificate) => certificate.Chain.TrimEnd() + "\n" + certificate.Key.TrimEnd() + "\n";

    /// <summary>Returns the bundle paths that changed.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        AcmeState state,
        CertificatesDefinition definition,
        string directory,
        CancellationToken ct
    )
    {
        PrivateFile.CreateDirectory(directory);
        var changed = new List<string>();
        foreach (var set in definition.Sets)
        {
            if (state.Find(set.Key) is not { } certificate)
            {
                Log.Warning($"{string.Join(", ", set.Names)}: no certificate yet (run Certificates first).");
                continue;
            }
            var path = Path.Combine(directory, BundleFileName(certificate));
            var bundle = Bundle(certificate);
            if (File.Exists(path) && await File.ReadAllTextAsync(path, ct) == bundle) { Log.Information($"{path}: up to date."); continue; }
            await PrivateFile.WriteAtomicallyAsync(path, Encoding.UTF8.GetBytes(bundle), ct);
            Log.Information($"Wrote {path}.");
            changed.Add(path);
        }
        return changed;
    }

    /// <summary>The runtime API commands that swap one bundle in place (HAProxy 2.1+).</summary>
    public static IReadOnlyList<string> RuntimeCommands(string path, string bundle) =>
        [$"set ssl cert {path} <<\n{bundle.TrimEnd()}\n\n", $"commit ssl cert {path}\n"];

    /// <summary>Hitless update through HAProxy's runtime socket; false (and a log line) when HAProxy does not answer there.</summary>
    public static async Task<bool> UpdateHaproxyAsync(string socketPath, IReadOnlyList<string> changed, CancellationToken ct)
    {
        if (!File.Exists(socketPath))
        {
            Log.Information($"HAProxy is not running (no socket at {socketPath}): bundles written, no reload needed.");
            return false;
        }
        var runtime = new HaproxyRuntimeApi(socketPath);
        foreach (var path in changed)
            foreach (var command in RuntimeCommands(path, await File.ReadAllTextAsync(path, ct)))
            {
                var answer = await runtime.SendAsync(command, ct);
                if (answer.Contains("not referenced", StringComparison.OrdinalIgnoreCase))
                {
                    Log.Warning(
                        $"HAProxy does not serve {path} yet: name it in a bind line's crt and reload HAProxy once; later renewals are "
                        + $"hitless."
                    );
                    break;
                }
                if (
                    !answer.Contains("Success", StringComparison.OrdinalIgnoreCase)
                    && !answer.Contains("Committing", StringComparison.OrdinalIgnoreCase)
                    && !answer.Contains("Transaction created", StringComparison.OrdinalIgnoreCase)
                )
                    throw new PipelineException(
                        $"HAProxy refused '{command.Split('\n')[0]}': {answer.Trim()} (is {path} a crt of a bind line?)"
                    );
            }
        Log.Information($"HAProxy now serves {changed.Count} updated certificate(s) (hitless, through {socketPath}).");
        return true;
    }
}
