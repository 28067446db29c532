using Pipeline.Engine;
using Pipeline.Engine.Services;

namespace Pipeline.Deploying.Haproxy;

/// <summary>
/// The local environment's HAProxy (Debian's haproxy 2.6) as a local service: a frontend on 127.0.0.1, one backend
/// per group, the runtime API on a unix socket and on a loopback port. Servers are not in the file: Deploy adds
/// them through the runtime API, so a restarted HAProxy is refilled by the next Deploy.
/// </summary>
public static class HaproxyService
{
    public sealed record Options(
        string Directory,
        int FrontendPort,
        int RuntimePort,
        IReadOnlyList<string> Backends,
        string HealthPath = "/heartbeat"
    )
    {
        /// <summary>A UDP host:port the request log goes to, one line per request in Pipeline's format (canary analysis).</summary>
        public string? LogTarget { get; init; }

        /// <summary>Blue/green on HAProxy (<c>blue_green: haproxy</c>): each backend <c>b</c> becomes <c>b_blue</c> and <c>b_green</c>,
        /// and the frontend picks one through the entry <c>b</c> of <see cref="ColourMap"/> (blue at start).</summary>
        public bool Colours { get; init; }

        public string ColourMap => Path.Combine(Directory, "colours.map");

        public string Socket => Path.Combine(Directory, "admin.sock");
        public string ConfigFile => Path.Combine(Directory, "haproxy.cfg");
    }

    public static LocalService Spec(Options options)
    {
        System.IO.Directory.CreateDirectory(options.Directory);
        File.WriteAllText(options.ConfigFile, Config(options));
        if (options.Colours) File.WriteAllText(options.ColourMap, string.Concat(options.Backends.Select(b => $"{b} {b}_blue\n")));
        return new LocalService(
            $"haproxy-{options.FrontendPort}",
            "/usr/sbin/haproxy",
            ["-db", "-f", options.ConfigFile],
            ReadinessProbe.Tcp(options.RuntimePort)
        )
        {
            Tools = [Tool.Apt("haproxy")],
        };
    }

    public static string Config(Options o)
    {
        var text = new System.Text.StringBuilder($"""
            global
              stats socket {o.Socket} mode 600 level admin
              stats socket ipv4@127.0.0.1:{o.RuntimePort} level admin
              stats timeout 30s

            defaults
              mode http
              timeout connect 2s
              timeout client 30s
              timeout server 30s
              retries 2
              option redispatch
            {(o.LogTarget is { } log ? $"  {Tools.Haproxy.HaproxyRequestLog.LogTarget(log)}\n  log-format \"{Tools.Haproxy.HaproxyRequestLog.LogFormat}\"\n" : "")}
            frontend {o.Backends[0]}_in
              bind 127.0.0.1:{o.FrontendPort}
            {(o.Colours ? $"  use_backend %[str({o.Backends[0]}),map({o.ColourMap})]\n" : "")}  default_backend {o.Backends[0]}{(o.Colours ? "_blue" : "")}

            """);
        foreach (var backend in o.Colours ? o.Backends.SelectMany(b => new[] { $"{b}_blue", $"{b}_green" }) : o.Backends)
            text.Append($"""

                backend {backend}
                  balance roundrobin
                  option httpchk GET {o.HealthPath}

                """);
        return text.ToString();
    }
}
