using FluentAssertions;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Tests.Testing;

public class TestTotalsTests
{
    const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testName="A.Passes" outcome="Passed" />
            <UnitTestResult testName="A.Breaks" outcome="Failed">
              <Output><ErrorInfo><Message>Assert.Equal() Failure
        Expected: 1</Message></ErrorInfo></Output>
            </UnitTestResult>
          </Results>
          <ResultSummary outcome="Failed"><Counters total="2" passed="1" failed="1" /></ResultSummary>
        </TestRun>
        """;

    [Fact]
    public void A_failed_test_is_named_with_the_first_line_of_its_message_so_the_end_of_the_log_shows_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"totals-{Guid.NewGuid():N}.trx");
        File.WriteAllText(file, Trx);
        try
        {
            var totals = TestTotals.FromTrx([file]);

            (totals.Passed, totals.Failed).Should().Be((1, 1));
            totals.Failures.Should().Equal("A.Breaks: Assert.Equal() Failure");
        }
        finally { File.Delete(file); }
    }
}
