using Pipeline.Definitions;
using System.Text.RegularExpressions;

namespace Pipeline.Clustering;

/// <summary>
/// Reads <c>environments/virtual/checks.yml</c> into <see cref="ClusterChecks"/>; every mistake is one line with
/// the file and key path. <c>${VAR}</c> comes from the run (e.g. <c>${CLUSTER_PASSWORD}</c>).
/// </summary>
public static class ClusterChecksLoader
{
    private static readonly string[] Kinds = ["http", "tcp", "exec", "failover"];
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    public static ClusterChecks Load(string path, string displayName, Func<string, string?> variables) =>
        Parse(DefinitionFile.Load(path, displayName, variables));

    public static ClusterChecks Parse(string yaml, string displayName, Func<string, string?> variables) =>
        Parse(DefinitionFile.Parse(yaml, displayName, variables));

    private static ClusterChecks Parse(DefinitionNode root)
    {
        root.AllowOnly("load-balancer", "readiness", "checks");
        var lb = root.Required("load-balancer", "e.g. load-balancer: { service: lb, port: 80 }");
        lb.AllowOnly("service", "port");
        var loadBalancer = new ServiceEndpoint(lb.Required("service").String(), lb.Required("port").Int(1, 65535));
        var readiness = root.Optional("readiness");
        readiness?.AllowOnly("path", "timeout");
        var readinessPath = Path(readiness?.Optional("path")) ?? "/";
        var timeout = readiness?.Optional("timeout")?.Duration() ?? TimeSpan.FromSeconds(90);

        var items = root.Required("checks", "a list of http/tcp/exec/failover checks").Items();
        if (items.Count == 0) throw root.Required("checks").Error("must list at least one check");
        var checks = new List<ClusterCheck>();
        foreach (var item in items)
        {
            var check = Check(item, loadBalancer);
            if (checks.Any(c => c.Name == check.Name))
                throw item.Required("name").Error($"'{check.Name}' is used by an earlier check (names must be unique)");
            checks.Add(check);
        }
        return new ClusterChecks(loadBalancer, readinessPath, timeout, checks);
    }

    private static ClusterCheck Check(DefinitionNode item, ServiceEndpoint lb)
    {
        item.AllowOnly(["name", .. Kinds]);
        var name = item.Required("name", "what the report calls this check").String();
        var kinds = Kinds.Where(k => item.Optional(k) is not null).ToList();
        if (kinds.Count != 1)
            throw item.Error(
                $"needs exactly one of {string.Join(", ", Kinds)} (found {(kinds.Count == 0 ? "none" : string.Join(", ", kinds))})"
            );
        var body = item.Required(kinds[0]);
        return kinds[0] switch
        {
            "http" => Http(name, body, lb),
            "tcp" => Tcp(name, body, lb),
            "exec" => Exec(name, body),
            _ => Failover(name, body, lb),
        };
    }

    private static HttpCheck Http(string name, DefinitionNode n, ServiceEndpoint lb)
    {
        n.AllowOnly("service", "port", "method", "path", "headers", "auth", "body", "status", "json", "body-pattern", "timeout");
        var method = n.Optional("method")?.String().ToUpperInvariant() ?? "GET";
        if (!Methods.Contains(method)) throw n.Required("method").Error($"'{method}' must be one of {string.Join(", ", Methods)}");
        var headers = n.Optional("headers")?.Entries().ToDictionary(e => e.Key, e => e.Value.String()) ?? [];
        BasicAuth? auth = null;
        if (n.Optional("auth") is { } a)
        {
            a.AllowOnly("user", "password");
            auth = new BasicAuth(a.Required("user").String(), a.Required("password").String());
        }
        var json = n.Optional("json")?.Entries().ToDictionary(e => e.Key, e => e.Value.String()) ?? [];
        var pattern = n.Optional("body-pattern");
        if (pattern is not null) Regex(pattern);
        return new HttpCheck(
            name,
            Target(n, lb),
            method,
            Path(n.Optional("path")) ?? "/",
            headers,
            auth,
            n.Optional("body")?.String(),
            n.Optional("status")?.Int(100, 599) ?? 200,
            json,
            pattern?.String(),
            n.Optional("timeout")?.Duration() ?? TimeSpan.FromSeconds(10)
        );
    }

    private static TcpCheck Tcp(string name, DefinitionNode n, ServiceEndpoint lb)
    {
        n.AllowOnly("service", "port", "timeout");
        return new TcpCheck(name, Target(n, lb), n.Optional("timeout")?.Duration() ?? TimeSpan.FromSeconds(5));
    }

    private static ExecCheck Exec(string name, DefinitionNode n)
    {
        n.AllowOnly("service", "command", "exit-code", "output-pattern", "timeout");
        var command = n.Required("command", "the argv, e.g. [http-check, \"8080\", /heartbeat]").Strings();
        if (command.Count == 0 || command[0].Length == 0) throw n.Required("command").Error("must name a program");
        var pattern = n.Optional("output-pattern");
        if (pattern is not null) Regex(pattern);
        return new ExecCheck(name, n.Required("service", "the compose service to run it in").String(), command,
            n.Optional("exit-code")?.Int(0, 255) ?? 0, pattern?.String(), n.Optional("timeout")?.Duration() ?? TimeSpan.FromSeconds(30));
    }

    private static FailoverCheck Failover(string name, DefinitionNode n, ServiceEndpoint lb)
    {
        n.AllowOnly("service", "action", "through", "path", "status", "within", "duration", "rejoin-within", "instance-field");
        var service = n.Required("service", "the app instance to take down").String();
        if (service == lb.Service) throw n.Required("service").Error($"'{service}' is the load balancer (name an app instance behind it)");
        var through = lb;
        if (n.Optional("through") is { } t)
        {
            t.AllowOnly("service", "port");
            through = new ServiceEndpoint(t.Required("service").String(), t.Required("port").Int(1, 65535));
        }
        return new FailoverCheck(name, service, n.Optional("action")?.Enum<FailoverAction>() ?? FailoverAction.Stop, through,
            Path(n.Optional("path")) ?? "/", n.Optional("status")?.Int(100, 599) ?? 200,
            Positive(n, "within", TimeSpan.FromSeconds(5)), Positive(n, "duration", TimeSpan.FromSeconds(5)),
            Positive(n, "rejoin-within", TimeSpan.FromSeconds(30)), n.Optional("instance-field")?.String() ?? "instance");
    }

    private static ServiceEndpoint Target(DefinitionNode n, ServiceEndpoint lb)
    {
        var service = n.Optional("service")?.String();
        var port = n.Optional("port")?.Int(1, 65535);
        if (service is null && port is not null)
            throw n.Required("port").Error("needs 'service' too (without both the check goes through the load balancer)");
        if (service is not null && port is null && service != lb.Service)
            throw n.Error("'port' is missing (the port inside the service's container, e.g. 8080)");
        return service is null || service == lb.Service && port is null ? lb : new ServiceEndpoint(service, port!.Value);
    }

    private static string? Path(DefinitionNode? node)
    {
        if (node is null) return null;
        var path = node.String();
        return path.StartsWith('/') ? path : throw node.Error($"'{path}' must start with / (e.g. /heartbeat)");
    }

    private static TimeSpan Positive(DefinitionNode n, string key, TimeSpan fallback)
    {
        var value = n.Optional(key)?.Duration() ?? fallback;
        return value > TimeSpan.Zero ? value : throw n.Required(key).Error("must be more than 0s");
    }

    private static void Regex(DefinitionNode node)
    {
        try { _ = new Regex(node.String()); }
        catch (ArgumentException e) { throw node.Error($"not a valid regular expression: {e.Message}"); }
    }
}
