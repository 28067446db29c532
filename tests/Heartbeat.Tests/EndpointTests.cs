using FluentAssertions;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Heartbeat.Tests;

public class EndpointTests(HeartbeatFixture fixture) : IClassFixture<HeartbeatFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string? json = null) => new(method, path)
    {
        Headers = { Authorization = RunningHeartbeat.Credentials() },
        Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task Heartbeat_answers_without_auth_with_message_version_and_instance()
    {
        var response = await Client.GetAsync("/heartbeat");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
        body.GetProperty("version").GetString().Should().Be("1.2.3+gtest");
        body.GetProperty("instance").GetString().Should().Be("test-1");
    }

    [Fact]
    public async Task Stats_without_credentials_is_401_with_a_basic_challenge()
    {
        var response = await Client.GetAsync("/stats");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle(header => header.Scheme == "Basic");
    }

    [Fact]
    public async Task Stats_with_wrong_password_is_401()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/stats")
        {
            Headers = { Authorization = RunningHeartbeat.Credentials(password: "nope") },
        };

        (await Client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Stats_with_credentials_counts_requests_and_reports_uptime()
    {
        await Client.GetAsync("/heartbeat");

        var response = await Client.SendAsync(Authorized(HttpMethod.Get, "/stats"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("uptimeSeconds").GetDouble().Should().BeGreaterThan(0);
        body.GetProperty("requestsTotal").GetInt64().Should().BeGreaterThanOrEqualTo(1);
        body.GetProperty("requests")
            .EnumerateArray()
            .Should()
            .Contain(entry => entry.GetProperty("route").GetString() == "/heartbeat" && entry.GetProperty("status").GetInt32() == 200);
    }

    [Fact]
    public async Task Metrics_is_prometheus_text_without_auth()
    {
        await Client.GetAsync("/heartbeat");

        var response = await Client.GetAsync("/metrics");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        response.Content.Headers.ContentType.Parameters.Should().Contain(p => p.Name == "version" && p.Value == "0.0.4");
        (await response.Content.ReadAsStringAsync()).Should().Contain("heartbeat_requests_total{route=\"/heartbeat\",status=\"200\"}");
    }

    [Fact]
    public async Task Unknown_paths_are_404_and_counted_as_unmatched()
    {
        (await Client.GetAsync("/nope/123")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await Client.GetStringAsync("/metrics")).Should().Contain("route=\"unmatched\",status=\"404\"");
    }

    [Fact]
    public async Task Notify_without_credentials_is_401()
    {
        var response = await Client.PostAsync("/notify", new StringContent("""{"text":"x"}""", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Notify_accepts_a_valid_message_with_202_and_an_id()
    {
        var response = await Client.SendAsync(Authorized(HttpMethod.Post, "/notify", """{"text":"deployed","channel":"#ops"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("id").GetString().Should().MatchRegex("^[0-9a-f]{32}$");
    }

    [Theory]
    [InlineData("""{"text":""}""", "text: is required and must not be empty")]
    [InlineData("""{"text":""", "body: is not valid JSON")]
    [InlineData("""{"text":"x","severity":"loud"}""", "severity: must be one of info, warning, critical (got 'loud')")]
    public async Task Notify_rejects_bad_bodies_with_400_and_a_reason(string json, string reason)
    {
        var response = await Client.SendAsync(Authorized(HttpMethod.Post, "/notify", json));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be(reason);
    }

    [Fact]
    public async Task Notify_rejects_a_body_that_is_not_json()
    {
        var request = Authorized(HttpMethod.Post, "/notify");
        request.Content = new StringContent("text=x", Encoding.UTF8, "text/plain");

        var response = await Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Content-Type must be application/json");
    }
}
