using CliWrap;
using FluentAssertions;
using Pipeline.Packaging.Execution;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.Packaging;

public sealed class GpgSigningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-gpg-").FullName;

    public void Dispose()
    {
        Cli.Wrap("gpgconf").WithArguments(["--kill", "gpg-agent"]).WithEnvironment("GNUPGHOME", Home)
            .WithValidation(CommandResultValidation.None).RunBufferedAsync().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    private string Home => Path.Combine(_folder, "keyring");

    private Command Gpg(params string[] arguments) =>
        Cli.Wrap("gpg")
            .WithArguments(["--batch", "--pinentry-mode", "loopback", "--passphrase", "", .. arguments])
            .WithEnvironment("GNUPGHOME", Home);

    [Fact]
    public async Task The_signatures_verify_against_the_public_key()
    {
        Directory.CreateDirectory(Home);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Gpg("--quick-gen-key", "Pipeline Test <test@example.org>", "ed25519", "sign", "never").RunBufferedAsync();
        var secret = (await Gpg("--armor", "--export-secret-keys", "test@example.org").RunBufferedAsync()).StandardOutput;
        await File.WriteAllBytesAsync(Path.Combine(_folder, "key.gpg"), (await ExportPublicAsync()));
        var release = "Origin: Pipeline\nSuite: stable\n"u8.ToArray();

        var (inRelease, releaseGpg) = await new GpgReleaseSigner(secret, _folder).SignAsync(release, CancellationToken.None);

        File.WriteAllBytes(Path.Combine(_folder, "InRelease"), inRelease);
        File.WriteAllBytes(Path.Combine(_folder, "Release"), release);
        File.WriteAllBytes(Path.Combine(_folder, "Release.gpg"), releaseGpg);
        await Gpgv("InRelease");
        await Gpgv("Release.gpg", "Release");
        Directory.GetDirectories(_folder, "gnupg-*").Should().BeEmpty("the signer removes its throw-away keyring");
    }

    private async Task<byte[]> ExportPublicAsync()
    {
        var path = Path.Combine(_folder, "public.gpg");
        await Gpg("--output", path, "--export", "test@example.org").RunBufferedAsync();
        return await File.ReadAllBytesAsync(path);
    }

    private Task Gpgv(params string[] files) =>
        Cli.Wrap("gpgv").WithArguments(["--keyring", Path.Combine(_folder, "key.gpg"), .. files.Select(f => Path.Combine(_folder, f))])
            .RunBufferedAsync();
}
