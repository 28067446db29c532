using CliWrap;
using Pipeline.Packaging.Repository;
using Pipeline.Tools.Process;

namespace Pipeline.Packaging.Execution;

/// <summary>
/// Signs a Release with an armoured private key (a secret) imported into a throw-away GNUPGHOME, which is
/// removed, with its agent, afterwards.
/// </summary>
public sealed class GpgReleaseSigner(string armoredPrivateKey, string temporaryDirectory) : IReleaseSigner
{
    public async Task<(byte[] InRelease, byte[] ReleaseGpg)> SignAsync(byte[] release, CancellationToken cancellationToken)
    {
        var home = Path.Combine(temporaryDirectory, $"gnupg-{Guid.NewGuid():n}");
        Directory.CreateDirectory(home);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await Gpg(home, "--import").WithStandardInput(armoredPrivateKey).RunBufferedAsync(GpgTimeout, cancellationToken);
            var releasePath = Path.Combine(home, "Release");
            await File.WriteAllBytesAsync(releasePath, release, cancellationToken);
            await Gpg(home, "--digest-algo", "SHA512", "--clearsign", "--output", Path.Combine(home, "InRelease"), releasePath)
                .RunBufferedAsync(GpgTimeout, cancellationToken);
            await Gpg(
                    home,
                    "--digest-algo",
                    "SHA512",
                    "--armor",
                    "--detach-sign",
                    "--output",
                    Path.Combine(home, "Release.gpg"),
                    releasePath
                )
                .RunBufferedAsync(GpgTimeout, cancellationToken);
            return (await File.ReadAllBytesAsync(Path.Combine(home, "InRelease"), cancellationToken),
                    await File.ReadAllBytesAsync(Path.Combine(home, "Release.gpg"), cancellationToken));
        }
        finally
        {
            await Cli.Wrap("gpgconf").WithArguments(["--kill", "gpg-agent"]).WithEnvironment("GNUPGHOME", home)
                .WithValidation(CommandResultValidation.None).RunBufferedAsync(CancellationToken.None);
            Directory.Delete(home, recursive: true);
        }
    }

    private static Command Gpg(string home, params string[] arguments) =>
        Cli.Wrap("gpg").WithArguments(["--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", .. arguments])
            .WithEnvironment("GNUPGHOME", home);

    private static readonly TimeSpan GpgTimeout = TimeSpan.FromMinutes(2);
}
