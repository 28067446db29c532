using FluentAssertions;
using Pipeline.Deploying.Canary;
using Xunit;

namespace Pipeline.Tests.Deploying.Canary;

/// <summary>The judge's decisions: significance, minimum samples, and the margins that keep tiny differences from failing.</summary>
public class CanaryJudgeTests
{
    private static readonly CanaryAnalysis Analysis = CanaryAnalysis.Default with { MinSamples = 200 };

    /// <summary>n requests on "server", every k-th failing (k = 0: none), latencies cycling from <paramref name="ms"/>.</summary>
    private static List<RequestSample> Requests(string server, int n, int failEvery, double ms, double factor = 1) =>
        Enumerable.Range(0, n).Select(i => new RequestSample("web", server, failEvery > 0 && i % failEvery == 0 ? 503 : 200,
            (int)Math.Round((ms + i * 7 % 11) * factor))).ToList();

    [Fact]
    public void A_canary_failing_5_percent_against_a_clean_baseline_fails_with_the_verdict_line()
    {
        var samples = new SampleSet(Requests("web-canary-1", 400, 20, 20), Requests("web-baseline-1", 400, 0, 20));

        var verdict = CanaryJudge.Judge(samples, Analysis);

        verdict.Kind.Should().Be(VerdictKind.Fail);
        verdict.Line.Should().Be("canary error rate 5.0% vs baseline 0.0% (20/400 vs 0/400, Fisher), p<0.001: fail");
    }

    [Fact]
    public void A_canary_40_percent_slower_fails_on_latency()
    {
        var samples = new SampleSet(Requests("web-canary-1", 300, 0, 20, 1.4), Requests("web-baseline-1", 300, 0, 20));

        var verdict = CanaryJudge.Judge(samples, Analysis);

        verdict.Kind.Should().Be(VerdictKind.Fail);
        verdict.Line.Should().StartWith("canary latency median 35 ms vs baseline 25 ms (×1.40; p95").And.EndWith("p<0.001: fail");
        verdict.Metrics.Single(m => m.Metric == "error rate").Failed.Should().BeFalse();
    }

    [Fact]
    public void A_faster_canary_passes_on_latency_because_the_test_is_one_sided()
    {
        var samples = new SampleSet(Requests("c", 300, 0, 2000, 0.5), Requests("b", 300, 0, 2000));

        var latency = CanaryJudge.Judge(samples, Analysis).Metrics.Single(m => m.Metric == "latency");

        latency.Failed.Should().BeFalse();
        latency.P.Should().BeGreaterThan(0.99);
        latency.Line.Should().StartWith("canary latency median 1002 ms vs baseline 2005 ms (×0.50;");
    }

    /// <summary>Response times of a sleep of <paramref name="workMs"/> plus a machine's overhead spread over 50–350 ms.</summary>
    private static List<RequestSample> Slept(string server, int n, int workMs) =>
        Enumerable.Range(0, n).Select(i => new RequestSample("web", server, 200, workMs + 50 + i * 37 % 300)).ToList();

    [Theory]
    [InlineData(2200, false)] // 10% slower work: inside the ×1.2 tolerance
    [InlineData(2800, true)] // 40% slower work: beyond it even with the overhead on both sides
    public void Slower_work_fails_only_beyond_the_tolerance(int canaryWorkMs, bool fails)
    {
        var samples = new SampleSet(Slept("c", 300, canaryWorkMs), Slept("b", 300, 2000));

        var latency = CanaryJudge.Judge(samples, Analysis).Metrics.Single(m => m.Metric == "latency");

        latency.Failed.Should().Be(fails, latency.Line);
    }

    [Fact]
    public void A_canary_like_its_baseline_passes_both_metrics()
    {
        var samples = new SampleSet(Requests("web-canary-1", 300, 100, 20), Requests("web-baseline-1", 300, 100, 20));

        var verdict = CanaryJudge.Judge(samples, Analysis);

        verdict.Kind.Should().Be(VerdictKind.Pass);
        verdict.Metrics.Should().HaveCount(2).And.OnlyContain(m => !m.Failed && m.Line.EndsWith(": pass"));
    }

    [Fact]
    public void A_1_percent_slower_canary_on_huge_samples_passes_within_the_latency_tolerance()
    {
        var baseline = Requests("b", 20000, 0, 100);
        var canary = baseline.Select(r => r with { Server = "c", ResponseMs = r.ResponseMs + 1 }).ToList();

        var strict = CanaryJudge.Judge(new SampleSet(canary, baseline), Analysis with { LatencyTolerance = 1.0 });
        var tolerant = CanaryJudge.Judge(new SampleSet(canary, baseline), Analysis);

        strict.Kind.Should().Be(VerdictKind.Fail, "without a margin the 1% difference is significant at this size");
        tolerant.Kind.Should().Be(VerdictKind.Pass);
    }

    [Fact]
    public void A_significant_rise_in_errors_within_the_budget_passes_and_says_so()
    {
        // 0.6% vs 0.1% on 20000 requests each is significant but half a percentage point: under the default budget of 1.
        var samples = new SampleSet(Requests("c", 20000, 166, 20), Requests("b", 20000, 1000, 20));

        var verdict = CanaryJudge.Judge(samples, Analysis);

        verdict.Kind.Should().Be(VerdictKind.Pass);
        verdict.Metrics[0].Line.Should().Contain("within the budget of +1.0%");
    }

    [Fact]
    public void Too_few_requests_wait_and_at_the_limit_fail_as_inconclusive()
    {
        var samples = new SampleSet(Requests("c", 150, 0, 20), Requests("b", 400, 0, 20));

        CanaryJudge.Judge(samples, Analysis).Kind.Should().Be(VerdictKind.Waiting);
        var final = CanaryJudge.Judge(samples, Analysis, final: true);
        final.Kind.Should().Be(VerdictKind.Fail);
        final.Line.Should().Be("too few requests to judge within 5m: canary 150, baseline 400 requests (at least 200 each): fail");
    }

    [Fact]
    public void Responses_without_a_status_count_as_failures()
    {
        new RequestSample("web", "c", -1, -1).Failed.Should().BeTrue();
        new RequestSample("web", "c", 404, 3).Failed.Should().BeFalse();
    }
}
