using FluentAssertions;
using Pipeline.Benchmarks;
using Xunit;

namespace Pipeline.Tests.Benchmarks;

public class BenchmarkChartTests
{
    private static Measurement Of(string name, params int[] ms) => new(name, ms.Select(m => TimeSpan.FromMilliseconds(m)).ToList());

    [Fact]
    public void A_rendered_page_gives_a_chart_with_one_bar_per_way_at_its_median()
    {
        var page = BenchmarkReport.Render("Start-up", "text", Of("`ours`", 100, 160, 120), Of("peer & co", 3000, 2800, 3100), 0.15);

        var svg = BenchmarkChart.FromPage("startup", page) ?? throw new Xunit.Sdk.XunitException("no chart");

        svg.Should().StartWith("<svg").And.Contain(">ours<").And.Contain(">peer &amp; co<");
        svg.Split("<rect").Should().HaveCount(3, "two bars");
        svg.Should().Contain(">120<").And.Contain(">3000<");
    }

    [Fact]
    public void A_page_without_a_medians_table_gives_no_chart() =>
        BenchmarkChart.FromPage("backup", "# Backup\n\n| phase | ours | s3cmd |\n| --- | ---: | ---: |\n").Should().BeNull();
}
