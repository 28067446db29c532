using Pipeline.Engine;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Pipeline.Clustering;

/// <summary>Runs the checks of checks.yml against a running cluster, one after the other; each ends in a <see
/// cref="CheckResult"/>. With the cluster's Prometheus, a failover check is followed by its InstanceDown alert's result.</summary>
public sealed class CheckRunner(ClusterServices services, ClusterPrometheus? prometheus = null)
{
    private readonly List<CheckResult> _alerts = [];

    public async Task<IReadOnlyList<CheckResult>> RunAllAsync(IReadOnlyList<ClusterCheck> checks, CancellationToken ct)
    {
        var results = new List<CheckResult>();
        foreach (var check in checks)
        {
            var result = await RunAsync(check, ct);
            if (result.Passed) Log.Information($"  ✓ {check.Name} ({result.Duration.TotalSeconds:0.0} s): {result.Message}");
            else Log.Error($"  ✗ {check.Name}: {result.Message}");
            results.Add(result);
            foreach (var alert in _alerts)
            {
                if (alert.Passed) Log.Information($"  ✓ {alert.Name}: {alert.Message}");
                else Log.Error($"  ✗ {alert.Name}: {alert.Message}");
                results.Add(alert);
            }
            _alerts.Clear();
        }
        return results;
    }

    public async Task<CheckResult> RunAsync(ClusterCheck check, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        string kind = Kind(check);
        try
        {
            var problem = check switch
            {
                HttpCheck h => await HttpAsync(h, ct),
                TcpCheck t => await TcpAsync(t, ct),
                ExecCheck e => await ExecAsync(e, ct),
                FailoverCheck f => await FailoverAsync(f, ct),
                _ => throw new InvalidOperationException(check.GetType().Name),
            };
            return new CheckResult(check.Name, kind, problem.Error is null, watch.Elapsed, problem.Error ?? problem.Summary);
        }
        catch (Exception e)
            when (e is PipelineException or HttpRequestException or Pipeline.Tools.Docker.DockerApiException or SocketException)
        {
            return new CheckResult(check.Name, kind, false, watch.Elapsed, e.Message);
        }
    }

    private async Task<Outcome> FailoverAsync(FailoverCheck check, CancellationToken ct)
    {
        var runner = new FailoverRunner(services, prometheus);
        var outcome = await runner.RunAsync(check, ct);
        if (runner.Alert is { } alert) _alerts.Add(alert);
        return outcome;
    }

    public static string Kind(ClusterCheck check) => check switch
    {
        HttpCheck => "http",
        TcpCheck => "tcp",
        ExecCheck => "exec",
        FailoverCheck => "failover",
        _ => "check",
    };

    private async Task<Outcome> HttpAsync(HttpCheck check, CancellationToken ct)
    {
        var url = await services.UrlAsync(check.Target, ct);
        var answer = await HttpProbe.SendAsync(url, check.Method, check.Path, check.Headers, check.Auth, check.Body, check.Timeout, ct);
        var problem = HttpProbe.Judge(check, answer);
        return new Outcome(
            problem is null ? null : $"{check.Method} {check.Path} via {check.Target}: {problem}",
            $"{check.Method} {check.Path} via {check.Target}: {answer.Describe()}"
        );
    }

    private async Task<Outcome> TcpAsync(TcpCheck check, CancellationToken ct)
    {
        var (host, port) = await services.HostEndpointAsync(check.Target, ct);
        using var client = new TcpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(check.Timeout);
        try
        {
            await client.ConnectAsync(host, port, cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Outcome($"{check.Target} ({host}:{port}): no connection within {check.Timeout.TotalSeconds:0.#} s", "");
        }
        catch (SocketException e)
        {
            return new Outcome($"{check.Target} ({host}:{port}): {e.Message}", "");
        }
        return new Outcome(null, $"{check.Target} accepts connections on {host}:{port}");
    }

    private async Task<Outcome> ExecAsync(ExecCheck check, CancellationToken ct)
    {
        var id = await services.ContainerIdAsync(check.Service, ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(check.Timeout);
        Pipeline.Tools.Docker.ExecResult result;
        try
        {
            result = await services.Docker.ExecAsync(id, check.Command, cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Outcome(
                $"{string.Join(' ', check.Command)} in {check.Service}: still running after {check.Timeout.TotalSeconds:0.#} s",
                ""
            );
        }
        var output = (result.StandardOutput + result.StandardError).Trim();
        var shown = output.Length <= 300 ? output : output[..300] + "…";
        if (result.ExitCode != check.ExitCode)
            return new Outcome(
                $"{string.Join(' ', check.Command)} in {check.Service} exited {result.ExitCode}, expected {check.ExitCode}: {shown}",
                ""
            );
        if (check.OutputPattern is { } p && !Regex.IsMatch(output, p))
            return new Outcome($"{string.Join(' ', check.Command)} in {check.Service}: the output does not match /{p}/: {shown}", "");
        return new Outcome(null, $"exit {result.ExitCode}{(shown.Length > 0 ? ": " + shown.Split('\n')[0] : "")}");
    }
}

/// <summary>A check's verdict: <see cref="Error"/> when it failed, else a one-line <see cref="Summary"/>.</summary>
public sealed record Outcome(string? Error, string Summary);
