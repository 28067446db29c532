using Pipeline.Engine;
using Pipeline.Tools.Docker;
using System.Formats.Tar;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>
/// The deploy benchmark's stand-in for the heartbeat app (the deploy integration tests use the same one, so the
/// benchmark measures the app they check): an image of one static busybox (from Debian's busybox-static) serving
/// <c>GET /heartbeat</c> with httpd on HEARTBEAT_PORT. <c>HEARTBEAT_HEALTHY=0</c>
/// makes it answer 404 there (a "bad v2"). <c>GET /cgi-bin/work</c> is the canary's request: a CGI script that answers 500 to
/// HEARTBEAT_FAIL_PERCENT of the requests (drawn from ash's $RANDOM) after sleeping HEARTBEAT_DELAY_MS (both 0 by default).
/// Imported from a ~2 MB tar in well under a second, so v1/v2/bad images are
/// cheap; a debootstrap base would add nothing the rolling engine can see. It stops at once on SIGTERM.
/// </summary>
public static class HeartbeatStandIn
{
    public static Tool Busybox { get; } = Tool.Apt("busybox", "busybox-static");

    private const string Script = """
        B=/bin/busybox
        $B mkdir -p /www
        if [ "$HEARTBEAT_HEALTHY" != "0" ]; then
          echo "{\"message\":\"ok\",\"version\":\"$HEARTBEAT_VERSION\",\"instance\":\"$HEARTBEAT_INSTANCE\"}" > /www/heartbeat
        fi
        echo "F=${HEARTBEAT_FAIL_PERCENT:-0} D=${HEARTBEAT_DELAY_MS:-0}" > /tmp/knobs
        trap '$B kill $pid; exit 0' TERM INT
        $B httpd -f -p "${HEARTBEAT_PORT:-8080}" -h /www &
        pid=$!
        wait $pid
        """;

    // Shell builtins ($RANDOM, printf) and usleep, which ash runs as a forked applet without an exec: one fork after the CGI's
    // own, not three fork+execs of /bin/busybox, so under load the answer's time is mostly the release's sleep.
    private const string Work = """
        #!/bin/busybox sh
        . /tmp/knobs
        [ "$D" -gt 0 ] && usleep $((D * 1000))
        if [ $((RANDOM % 100)) -lt "$F" ]; then
          printf 'HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nfailed\n'
        else
          printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nok\n'
        fi
        """;

    /// <summary>Imports <c>repository:tag</c> with that version baked in (and unhealthy when asked); returns the image id.</summary>
    public static async Task<string> BuildAsync(
        DockerClient docker,
        string repository,
        string tag,
        string version,
        bool healthy,
        CancellationToken ct,
        int failPercent = 0,
        int delayMs = 0
    )
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b111_111_111 });
            await writer.WriteEntryAsync("/bin/busybox", "bin/busybox", ct);
            var script = new PaxTarEntry(TarEntryType.RegularFile, "serve.sh")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(Script.ReplaceLineEndings("\n") + "\n")),
            };
            writer.WriteEntry(script);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "www/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "www/cgi-bin/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "www/cgi-bin/work")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(Work.ReplaceLineEndings("\n") + "\n")),
            });
        }
        tar.Position = 0;
        return await docker.ImportImageAsync(tar, repository, tag,
        [
            $"ENV HEARTBEAT_VERSION={version}",
            $"ENV HEARTBEAT_HEALTHY={(healthy ? 1 : 0)}",
            $"ENV HEARTBEAT_FAIL_PERCENT={failPercent}",
            $"ENV HEARTBEAT_DELAY_MS={delayMs}",
            "ENV HEARTBEAT_PORT=8080",
            "ENTRYPOINT [\"/bin/busybox\", \"sh\", \"/serve.sh\"]",
            "EXPOSE 8080",
        ], ct);
    }
}
