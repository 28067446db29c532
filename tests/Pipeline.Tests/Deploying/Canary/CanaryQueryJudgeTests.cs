using FluentAssertions;
using Pipeline.Deploying.Canary;
using Pipeline.Engine;
using Pipeline.Tools.Prometheus;
using Xunit;

namespace Pipeline.Tests.Deploying.Canary;

/// <summary>PromQL checks of a canary step: placeholders filled in, each result's verdict line, and how they join the samples'
/// verdict (waiting on no data, failing at max_wait).</summary>
public class CanaryQueryJudgeTests
{
    private static readonly CanaryQuery ErrorRatio = new("error_ratio", "q", null, 0.05);
    private static readonly CanaryAnalysis Analysis = CanaryAnalysis.Default with { Queries = [ErrorRatio] };
    private static readonly CanaryVerdict SamplesPass =
        new(VerdictKind.Pass, [new MetricVerdict("error rate", false, 0.5, "canary error rate 0.1% …: pass")], "pass");

    private static PrometheusQueryResult Vector(params (string Server, double Value)[] series) =>
        new("vector", series.Select(s => new PrometheusSample(new Dictionary<string, string> { ["server"] = s.Server }, s.Value)).ToList());

    private static PrometheusQueryResult Scalar(double value) =>
        new("scalar", [new PrometheusSample(new Dictionary<string, string>(), value)]);

    [Fact]
    public void Placeholders_become_regexes_of_the_steps_server_names_and_the_backend()
    {
        var placeholders = new QueryPlaceholders("web", ["web-canary-1", "web-canary-2"], ["web-baseline-1"]);

        placeholders.Render("x{proxy=\"{{backend}}\",server=~\"{{ canary }}\"} / y{server=~\"{{baseline}}\"}")
            .Should().Be("x{proxy=\"web\",server=~\"web-canary-1|web-canary-2\"} / y{server=~\"web-baseline-1\"}");
    }

    [Fact]
    public void A_baseline_placeholder_without_baseline_instances_is_refused_with_the_fix()
    {
        var act = () => new QueryPlaceholders("web", ["web-canary-1"], []).Render("x{server=~\"{{baseline}}\"}");

        act.Should().Throw<PipelineException>().WithMessage("*no baseline instances; remove baseline: false, or the placeholder");
    }

    [Theory]
    [InlineData(null, 0.05, 0.081, "query error_ratio = 0.081 > max 0.05: fail")]
    [InlineData(null, 0.05, 0.012, "query error_ratio = 0.012 <= max 0.05: pass")]
    [InlineData(0.95, null, 0.91, "query error_ratio = 0.91 < min 0.95: fail")]
    [InlineData(0.95, null, 0.99, "query error_ratio = 0.99 >= min 0.95: pass")]
    [InlineData(0.1, 0.9, 0.5, "query error_ratio = 0.5 within [0.1, 0.9]: pass")]
    [InlineData(null, 0.05, double.PositiveInfinity, "query error_ratio = +Inf > max 0.05: fail")]
    [InlineData(null, 0.05, 0.00002, "query error_ratio = 2E-05 <= max 0.05: pass")]
    public void Each_value_gives_its_verdict_line(double? min, double? max, double value, string line)
    {
        var verdict = (ErrorRatio with { Min = min, Max = max }).Judge(Scalar(value))!;

        verdict.Line.Should().Be(line);
        verdict.Failed.Should().Be(line.EndsWith("fail", StringComparison.Ordinal));
    }

    [Fact]
    public void With_several_series_the_worst_decides_and_is_named()
    {
        var verdict = ErrorRatio.Judge(Vector(("web-canary-1", 0.01), ("web-canary-2", 0.2), ("web-canary-3", double.NaN)))!;

        verdict.Line.Should().Be("query error_ratio = 0.2 > max 0.05 ({server=\"web-canary-2\"}, worst of 2 series): fail");
    }

    [Fact]
    public void No_series_or_only_NaN_is_no_data_yet()
    {
        ErrorRatio.Judge(Vector()).Should().BeNull();
        ErrorRatio.Judge(Scalar(double.NaN)).Should().BeNull();
    }

    [Fact]
    public void Query_lines_join_a_passing_samples_verdict_and_a_failing_query_fails_the_step()
    {
        var verdict = CanaryJudge.WithQueries(SamplesPass, [new(ErrorRatio, "q", Scalar(0.081))], Analysis, final: false);

        verdict.Kind.Should().Be(VerdictKind.Fail);
        verdict.Line.Should().Be("query error_ratio = 0.081 > max 0.05: fail");
        verdict.Metrics.Should().HaveCount(2);
    }

    [Fact]
    public void A_query_without_data_waits_then_fails_at_max_wait_as_too_few_samples_do()
    {
        var waiting = CanaryJudge.WithQueries(SamplesPass, [new(ErrorRatio, "q", Vector())], Analysis, final: false);
        var final = CanaryJudge.WithQueries(SamplesPass, [new(ErrorRatio, "q", Vector())], Analysis, final: true);

        waiting.Kind.Should().Be(VerdictKind.Waiting);
        waiting.Summary.Should().Be("waiting for data of query error_ratio");
        final.Kind.Should().Be(VerdictKind.Fail);
        final.Line.Should().Be("query error_ratio: no data within 5m (no series, or only NaN): fail");
    }

    [Fact]
    public void A_failing_samples_verdict_stands_without_asking_the_queries()
    {
        var samplesFail = SamplesPass with { Kind = VerdictKind.Fail };

        CanaryJudge.WithQueries(samplesFail, [new(ErrorRatio, "q", Scalar(0))], Analysis, final: false).Should().BeSameAs(samplesFail);
    }
}
