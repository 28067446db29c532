using FluentAssertions;
using Pipeline.Benchmarks;
using Xunit;

namespace Pipeline.Tests.Benchmarks;

public class GrowthLawTests
{
    [Fact]
    public void Points_on_a_straight_line_follow_the_law_and_the_fit_finds_its_constant_and_slope()
    {
        var law = new GrowthLaw("deploy", "batches", "one batch per batch", [(3, 7_000), (6, 13_000), (12, 25_000)]);

        law.Fit.A.Should().BeApproximately(1_000, 0.01);
        law.Fit.B.Should().BeApproximately(2_000, 0.01);
        law.Breaks.Should().BeEmpty();
        law.Markdown("scale-1.svg").Should().Contain("Every point is within 25% of the law.").And.Contain("![deploy](scale-1.svg)");
    }

    [Fact]
    public void A_point_far_from_the_fitted_line_is_flagged_in_the_page_and_drawn_red()
    {
        var law = new GrowthLaw("backup", "thousands of files", "a stat per file", [(1, 500), (10, 600), (100, 1_500), (50, 3_000)]);

        law.Breaks.Should().Equal((50, 3_000));
        law.Markdown("scale-3.svg").Should().Contain("**Breaks the law**: thousands of files 50 (3000 ms");
        law.Svg().Should().Contain("fill=\"#c62828\"").And.StartWith("<svg");
    }
}
