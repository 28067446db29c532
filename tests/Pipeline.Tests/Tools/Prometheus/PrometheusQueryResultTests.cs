using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Prometheus;
using System.Text.Json;
using Xunit;

namespace Pipeline.Tests.Tools.Prometheus;

/// <summary>The <c>data</c> of <c>/api/v1/query</c> answers, as Prometheus 2.x writes them (values are strings).</summary>
public class PrometheusQueryResultTests
{
    private static PrometheusQueryResult Parse(string data)
    {
        using var document = JsonDocument.Parse(data);
        return PrometheusQueryResult.Parse(document.RootElement, "q");
    }

    [Fact]
    public void A_vector_gives_each_series_labels_and_value()
    {
        var result = Parse("""
            {"resultType":"vector","result":[
              {"metric":{"__name__":"haproxy_server_http_responses_total","server":"web-canary-1","code":"5xx"},
               "value":[1796000000.123,"8"]},
              {"metric":{"server":"web-canary-2"},"value":[1796000000.123,"NaN"]}]}
            """);

        result.ResultType.Should().Be("vector");
        result.Samples.Select(s => s.Value).Should().Equal(8, double.NaN);
        result.Samples[0].LabelText.Should().Be("{code=\"5xx\", server=\"web-canary-1\"}");
        result.IsEmpty.Should().BeFalse();
    }

    [Fact]
    public void A_scalar_and_infinities_are_read()
    {
        Parse("""{"resultType":"scalar","result":[1796000000,"0.081"]}""").Samples.Single().Value.Should().Be(0.081);
        Parse("""{"resultType":"scalar","result":[1796000000,"+Inf"]}""").Samples.Single().Value.Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void An_empty_vector_is_empty()
    {
        Parse("""{"resultType":"vector","result":[]}""").IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void A_range_vector_is_refused_with_how_to_fix_the_query()
    {
        var act = () => Parse("""{"resultType":"matrix","result":[]}""");

        act.Should().Throw<PipelineException>().WithMessage("*returned a matrix, not a number per series; make it an instant vector*");
    }
}
