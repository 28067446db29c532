using FluentAssertions;
using Pipeline.Benchmarks;
using Xunit;

namespace Pipeline.Tests.Benchmarks;

public class BenchmarkReportTests
{
    private static Measurement Of(string name, params int[] ms) => new(name, ms.Select(m => TimeSpan.FromMilliseconds(m)).ToList());

    [Fact]
    public void A_page_with_the_whole_command_judges_its_goal_on_the_whole_command_beside_the_in_process_figures()
    {
        var whole = new WholeCommand(Of("`./build.sh Images`", 590, 600, 620), Of("`docker build`", 390, 400, 410), 0.5);

        var page = BenchmarkReport.Render("Bake", "text", Of("in process", 39, 40, 42), Of("`docker build`", 390, 400, 410), 0.2, whole);

        page.Should().Contain("**Ratio** (ours / peer, medians): **0.100** — goal at most 0.20: **met**");
        page.Should().Contain("## The whole command");
        page.Should().Contain("| `./build.sh Images` | 3 | 600 ms | 590 ms | 620 ms |");
        page.Should().Contain("**Whole-command ratio** (ours / peer, medians): **1.500** — goal at most 0.50: **NOT met**");
        var svg = BenchmarkChart.FromPage("bake", page) ?? throw new Xunit.Sdk.XunitException("no chart");
        svg.Split("<rect").Should().HaveCount(5, "ours and the peer, in process and as whole commands");
    }

    [Fact]
    public void A_page_without_a_whole_command_has_no_whole_command_section() =>
        BenchmarkReport.Render("Acme", "text", Of("ours", 1), Of("certbot", 10), 0.2).Should().NotContain("whole command");
}
