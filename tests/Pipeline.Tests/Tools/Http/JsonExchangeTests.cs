using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Http;
using System.Net;
using Xunit;

namespace Pipeline.Tests.Tools.Http;

/// <summary>The exchange's own behaviour, over an in-memory handler: what it sends, what it returns, and how it fails.</summary>
public sealed class JsonExchangeTests
{
    private sealed class Handler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public HttpRequestMessage? Seen { get; private set; }
        public string? SeenBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Seen = request;
            SeenBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
            return await answer(request, ct);
        }
    }

    [Fact]
    public async Task A_request_carries_the_bearer_token_and_the_answer_comes_back_parsed()
    {
        var handler = new Handler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("{\"id\":7}"),
        }));
        var exchange = new JsonExchange(new HttpClient(handler), "Grafana", "tok");

        var answer = await exchange.SendAsync(HttpMethod.Post, "http://127.0.0.1:1/api/annotations", "{}", default);

        answer.Succeeded.Should().BeTrue();
        answer.Json!["id"]!.GetValue<int>().Should().Be(7);
        handler.Seen!.Headers.Authorization!.ToString().Should().Be("Bearer tok");
        handler.SeenBody.Should().Be("{}");
        handler.Seen.Content!.Headers.ContentType!.MediaType.Should().Be("application/json");
    }

    [Fact]
    public async Task A_body_that_is_not_json_comes_back_as_text_with_no_json()
    {
        var exchange = new JsonExchange(new HttpClient(new Handler((_, _) => Task.FromResult(
            new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent(new string('x', 300)) }))),
            "Cloudflare", "t");

        var answer = await exchange.SendAsync(HttpMethod.Get, "http://127.0.0.1:1/zones", null, default);

        (answer.Succeeded, answer.Status, answer.Json, answer.Excerpt.Length).Should().Be((false, 502, null, 200));
    }

    [Fact]
    public async Task No_answer_fails_naming_the_service_the_call_and_what_to_check_never_the_token()
    {
        var exchange = new JsonExchange(new HttpClient(new Handler((_, _) => throw new HttpRequestException("Connection refused"))),
            "Grafana", "s3cr3t-token", "check monitoring/grafana/url");

        var error = await exchange.Invoking(e => e.SendAsync(HttpMethod.Post, "http://127.0.0.1:1/api/annotations", "{}", default))
            .Should().ThrowAsync<PipelineException>();

        error.Which.Message.Should().Be(
            "Grafana POST http://127.0.0.1:1/api/annotations: no answer (Connection refused); check monitoring/grafana/url")
            .And.NotContain("s3cr3t");
    }

    [Fact]
    public async Task No_answer_in_time_fails_as_one_line_while_the_callers_cancellation_stays_a_cancellation()
    {
        var slow = new Handler(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var exchange = new JsonExchange(new HttpClient(slow) { Timeout = TimeSpan.FromMilliseconds(50) }, "Cloudflare", "t");

        (await exchange.Invoking(e => e.SendAsync(HttpMethod.Get, "http://127.0.0.1:1/zones?name=a", null, default,
                shown: "http://127.0.0.1:1/zones"))
            .Should().ThrowAsync<PipelineException>()).Which.Message.Should()
            .StartWith("Cloudflare GET http://127.0.0.1:1/zones: no answer within 0 s");

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await exchange.Invoking(e => e.SendAsync(HttpMethod.Get, "http://127.0.0.1:1/zones", null, cancelled.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }
}
