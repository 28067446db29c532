using FluentAssertions;
using Pipeline.Publishing;
using Pipeline.Tools.Registry;
using System.Net;
using Xunit;

namespace Pipeline.Tests.Publishing;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Transient_failures_are_retried_with_growing_pauses_until_one_succeeds()
    {
        var pauses = new List<TimeSpan>();
        var calls = 0;

        var result = await Policy.ExecuteAsync("push", _ => ++calls < 3
            ? throw new RegistryTransientException("r", HttpStatusCode.ServiceUnavailable, "503")
            : Task.FromResult("ok"), CancellationToken.None, (d, _) => { pauses.Add(d); return Task.CompletedTask; });

        result.Should().Be("ok");
        calls.Should().Be(3);
        pauses.Should().HaveCount(2);
        pauses[1].Should().BeGreaterThan(pauses[0]);
    }

    [Fact]
    public async Task Authentication_failures_are_never_retried()
    {
        var calls = 0;
        var act = () =>
            Policy.ExecuteAsync<string>(
                "push",
                _ =>
                {
                    calls++;
                    throw new RegistryAuthenticationException("r", HttpStatusCode.Unauthorized, "401");
                },
                CancellationToken.None,
                (_, _) => Task.CompletedTask
            );

        await act.Should().ThrowAsync<RegistryAuthenticationException>();
        calls.Should().Be(1);
    }

    [Fact]
    public async Task The_last_transient_failure_is_thrown_after_every_attempt()
    {
        var calls = 0;
        var act = () => Policy.ExecuteAsync<string>("push", _ => { calls++; throw new TransientException("connection reset by peer"); },
            CancellationToken.None, (_, _) => Task.CompletedTask);

        await act.Should().ThrowAsync<TransientException>();
        calls.Should().Be(4);
    }

    [Fact]
    public void Pauses_double_and_stop_at_the_cap()
    {
        Policy.DelayAfter(1, 0).Should().Be(TimeSpan.FromSeconds(1));
        Policy.DelayAfter(2, 0).Should().Be(TimeSpan.FromSeconds(2));
        Policy.DelayAfter(10, 0).Should().Be(TimeSpan.FromSeconds(5));
        Policy.DelayAfter(10, 1).Should().Be(TimeSpan.FromSeconds(6));
    }

    [Theory]
    [InlineData("received unexpected HTTP status: 502 Bad Gateway", false, true)]
    [InlineData("read tcp 127.0.0.1:5000: connection reset by peer", false, true)]
    [InlineData("unauthorized: authentication required", true, false)]
    [InlineData("denied: requested access to the resource is denied", true, false)]
    [InlineData("manifest invalid: manifest invalid", false, false)]
    public void Engine_push_errors_are_sorted_into_authentication_and_transient_ones(string message, bool authentication, bool transient)
    {
        PublishFailures.IsAuthenticationError(message).Should().Be(authentication);
        PublishFailures.IsTransientError(message).Should().Be(transient);
    }
}
