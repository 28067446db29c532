using Pipeline.Deploying.Canary;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using System.Diagnostics;

namespace Pipeline.Deploying.BlueGreen;

/// <summary>
/// The test traffic of a blue/green deploy (<see cref="TestTrafficDefinition"/>): pairs of GET requests, one to the new colour and
/// one to the live colour, each to the colour's members in turn, until each colour has answered (or failed) the asked number; the
/// status (-1 without an answer) and the time to the response headers of each are judged by <see cref="CanaryJudge"/>.
/// </summary>
public sealed class TestTraffic(TestTrafficDefinition definition, TimeSpan timeout)
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    /// <summary>Judges <paramref name="colour"/>'s members against the live colour's, journals and logs the verdict, and returns it
    /// when it fails (null when it passes, or when nothing is live to compare with).</summary>
    public async Task<string?> RunAsync(DeployJournal journal, string id, Colour colour, IReadOnlyList<ObservedInstance> members,
        IReadOnlyList<ObservedInstance> live, CancellationToken ct)
    {
        if (live.Count == 0 || members.Count == 0) return null;
        var verdict = await JudgeAsync(members, live, ct);
        var line = $"test traffic {definition.Path}, {colour.Lower()} (canary) vs {colour.Other().Lower()} (baseline): {verdict.Line}";
        journal.Append(new(id, DateTimeOffset.UtcNow, "test-traffic", Detail: line));
        Engine.Log.Information($"  {line}");
        return verdict.Failed ? line : null;
    }

    public async Task<CanaryVerdict> JudgeAsync(
        IReadOnlyList<ObservedInstance> candidate, IReadOnlyList<ObservedInstance> live, CancellationToken ct)
    {
        List<RequestSample> canary = [], baseline = [];
        for (var i = 0; i < definition.Requests; i++)
        {
            canary.Add(await SendAsync(candidate[i % candidate.Count], ct));
            baseline.Add(await SendAsync(live[i % live.Count], ct));
        }
        return CanaryJudge.Judge(new SampleSet(canary, baseline), definition.Analysis, final: true);
    }

    private async Task<RequestSample> SendAsync(ObservedInstance member, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await Client.GetAsync($"http://{member.Address}{definition.Path}",
                HttpCompletionOption.ResponseHeadersRead,
                deadline.Token);
            var ms = (int)watch.Elapsed.TotalMilliseconds;
            await response.Content.CopyToAsync(Stream.Null, deadline.Token);
            return new RequestSample("", member.Name, (int)response.StatusCode, ms);
        }
        catch (Exception e)
            when (e is HttpRequestException or IOException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new RequestSample("", member.Name, -1, -1);
        }
    }
}
