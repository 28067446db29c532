using Pipeline.Engine;
using Renci.SshNet;
using Renci.SshNet.Common;
using System.Text;

namespace Pipeline.Tools.Ssh;

/// <summary>
/// The private keys a connection authenticates with: the key file named by <c>identity:</c>, or the key itself when
/// a secret parameter gave its text (registered as a secret, never printed); without one, the user's default keys
/// (~/.ssh/id_ed25519, id_ecdsa, id_rsa) that exist. Keys with a passphrase are refused (nothing can type it).
/// </summary>
public static class SshIdentity
{
    private static readonly string[] DefaultKeys = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public static IPrivateKeySource[] Load(string? identity)
    {
        if (identity is not null && identity.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            Secrets.Register(identity);
            return
            [
                Parse(
                    () => new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(identity.ReplaceLineEndings("\n").Trim() + "\n"))),
                    "the key given as a parameter"
                ),
            ];
        }
        if (identity is not null)
            return File.Exists(identity)
                ? [Parse(() => new PrivateKeyFile(identity), identity)]
                : throw new PipelineException(
                    $"{identity}: the ssh identity (private key) does not exist; set identity: to the key file, or give the key in the "
                    + $"parameter it names"
                );
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
        var found = DefaultKeys.Select(k => Path.Combine(home, k)).Where(File.Exists).ToList();
        return found.Count > 0
            ? found.Select(f => Parse(() => new PrivateKeyFile(f), f)).ToArray()
            : throw new PipelineException(
                $"ssh: no identity is set and none of ~/.ssh/{string.Join(", ", DefaultKeys)} exists; set identity: in the environment file"
            );
    }

    private static IPrivateKeySource Parse(Func<PrivateKeyFile> read, string what)
    {
        try
        {
            return read();
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            throw new PipelineException(
                $"{what}: the ssh key has a passphrase; give a key without one (e.g. a deploy key kept as a secret)"
            );
        }
        catch (SshException e)
        {
            throw new PipelineException($"{what}: not a private key SSH.NET can read ({e.Message})");
        }
        catch (InvalidOperationException e)
        {
            throw new PipelineException($"{what}: not a private key SSH.NET can read ({e.Message})");
        }
    }
}
