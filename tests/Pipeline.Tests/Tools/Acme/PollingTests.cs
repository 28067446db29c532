using FluentAssertions;
using Pipeline.Tools.Acme;
using System.Net.Http.Headers;
using Xunit;

namespace Pipeline.Tests.Tools.Acme;

public sealed class PollingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_wait_honours_Retry_After_in_seconds_or_as_a_date_and_backs_off_without_it()
    {
        Polling.Delay(new RetryConditionHeaderValue(TimeSpan.FromSeconds(3)), 0, Now).Should().Be(TimeSpan.FromSeconds(3));
        Polling.Delay(new RetryConditionHeaderValue(Now.AddSeconds(7)), 0, Now).Should().Be(TimeSpan.FromSeconds(7));
        Polling.Delay(new RetryConditionHeaderValue(TimeSpan.FromHours(5)), 0, Now).Should().Be(Polling.MaxWait);
        Polling.Delay(null, 0, Now).Should().BeLessThan(Polling.Delay(null, 3, Now));
    }
}
