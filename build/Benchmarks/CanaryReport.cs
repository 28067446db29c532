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
        sb.AppendLine("Two stand-in instances behind HAProxy 2.6; 4 loopback clients send `GET /cgi-bin/work` "
            + "(100 ms of work; the slow release 140 ms) while each deploy runs and 5 s after. A canary step starts one canary and "
            + "one baseline instance of the running version, gives each 25% "
            + "of the requests (`set weight`), and judges once both have 300 requests in HAProxy's log: Fisher's exact test on the error "
            + "rate and Mann-Whitney U on response times, one-sided at 0.01, with a 1-point error budget and ×1.2 latency tolerance.")
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
