using CliWrap;
using Pipeline.Tools.Process;
using System.Security.Cryptography;

namespace Pipeline.IntegrationTests.Baking;

/// <summary>
/// A tiny Debian package built with dpkg-deb into a flat APT repository (artifacts/apt/pool + Packages), standing in for
/// the Packages target's output: <c>/usr/bin/tiny-http</c>, a perl-base HTTP server answering <c>GET /heartbeat</c>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class TinyDeb
{
    public const string Server = """
        #!/usr/bin/perl
        use strict; use IO::Socket::INET;
        my $port = $ENV{TINY_PORT} || 8080;
        my $server = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => $port, Listen => 16, ReuseAddr => 1) or die "listen: $!";
        $| = 1; print "tiny-http listening on $port\n";
        while (my $c = $server->accept) {
          my $request = <$c> // ''; while (my $h = <$c>) { last if $h =~ /^\r?\n$/ }
          my ($code, $body) = $request =~ m{^GET /heartbeat } ? ('200 OK', '{"message":"tiny is alive"}') : ('404 Not Found', '{}');
          print $c "HTTP/1.0 $code\r\nContent-Type: application/json\r\nContent-Length: " . length($body) . "\r\n\r\n$body";
          close $c;
        }
        """;

    public static async Task WriteRepositoryAsync(string root, string name, string version, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("pipeline-test-images-deb-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(work, "DEBIAN"));
            Directory.CreateDirectory(Path.Combine(work, "usr/bin"));
            await File.WriteAllTextAsync(
                Path.Combine(work, "DEBIAN/control"),
                $"Package: {name}\nVersion: {version}\nArchitecture: all\nMaintainer: Pipeline tests <tests@example.org>\nDepends: "
                + $"perl-base\nDescription: tiny HTTP server for image tests\n",
                ct
            );
            var server = Path.Combine(work, "usr/bin/tiny-http");
            await File.WriteAllTextAsync(server, Server.Replace("\r\n", "\n") + "\n", ct);
            File.SetUnixFileMode(server, (UnixFileMode)0x1ED);

            var pool = Path.Combine(root, "artifacts/apt/pool");
            Directory.CreateDirectory(pool);
            var deb = Path.Combine(pool, $"{name}_{version}_all.deb");
            await Cli.Wrap("dpkg-deb").WithArguments(["--root-owner-group", "--build", work, deb]).RunBufferedAsync(ct);
            var bytes = await File.ReadAllBytesAsync(deb, ct);
            await File.WriteAllTextAsync(
                Path.Combine(root, "artifacts/apt/Packages"),
                $"Package: {name}\nVersion: {version}\nArchitecture: all\nMaintainer: Pipeline tests <tests@example.org>\nDepends: "
                + $"perl-base\n"
                    + $"Filename: pool/{Path.GetFileName(deb)}\nSize: {bytes.Length}\nSHA256: "
                        + $"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\nDescription: tiny HTTP server for image tests\n",
                ct
            );
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
