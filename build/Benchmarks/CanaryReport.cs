using System.Globalization;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>artifacts/bench/canary.md: each deploy's outcome and the requests it cost, and the false-abort count.</summary>
public static class CanaryReport
{
    public static string Render(IReadOnlyList<CanaryRun> runs, int falseAborts, int repeats)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Canary: a 25% step judged against a fresh baseline, under load through HAProxy").AppendLine();
        var (a, c) = (CultureInfo.InvariantCulture, CanaryGroup.Analysis);
        sb.Append(a, $"Two stand-in instances behind HAProxy 2.6; loopback clients send `GET /cgi-bin/work` at a fixed ")
            .Append(a, $"{CanaryLoad.RequestsPerSecond} requests/s ({CanaryLoad.Clients} clients, each paced) while each deploy runs ")
            .Append(a, $"and 5 s after. The stand-in's work is a sleep of {CanaryScenario.WorkMs} ms (the slow release: ")
            .Append(a, $"{CanaryScenario.SlowWorkMs} ms), long beside what the shared 2-core machine adds to every answer, so 40% ")
            .Append("slower work is nearly 40% slower responses. A canary step starts one canary and one baseline instance of the ")
            .Append(a, $"running version, gives each 25% of the requests (`set weight`), and judges once both have {c.MinSamples} ")
            .Append(a, $"requests in HAProxy's request log (waiting at most {c.MaxWait.TotalMinutes:0} min, else it fails as ")
            .Append("inconclusive): Fisher's exact test on the error rate and Mann-Whitney U on response times (`%Tr`), one-sided at ")
            .Append(a, $"{c.Significance}, with a {c.ErrorBudget * 100:0.#}-point error budget and ×{c.LatencyTolerance:0.0#} latency ")
            .AppendLine("tolerance (the canary's times divided by it, then tested against the baseline's).")
            .AppendLine();
        sb.AppendLine("| deploy | outcome | wall time | requests | failed | failed share |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var r in runs)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.What} | {(r.Outcome.Succeeded ? "promoted" : "aborted")}: {Escape(Verdict(r))} | {r.Wall.TotalSeconds:0.0} s | "
                + $"{r.Requests} | {r.Failed} | {(r.Requests == 0 ? 0 : 100.0 * r.Failed / r.Requests):0.00}% |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"**False aborts of a good release: {falseAborts} of {repeats}** (goal 0).");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {System.Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; "
            + $"measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, one run each (the load is bounded).");
        return sb.ToString();
    }

    private static string Verdict(CanaryRun r)
    {
        var message = r.Outcome.Message;
        var at = message.IndexOf("aborted at ", StringComparison.Ordinal);
        if (at >= 0) return message[at..];
        var after = message.IndexOf("after the canary", StringComparison.Ordinal);
        return after >= 0 ? message[after..] : "rolled, no canary";
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
