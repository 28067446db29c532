using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Grafana;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipeline.IntegrationTests.Monitoring;

/// <summary>
/// Pipeline's Grafana client against <see cref="FakeGrafanaApi"/>, and the fake refereed by Grafana's own reading of its API.
/// The house referee would be the community Python grafana-client (PyPI), but PyPI cannot be reached from these machines
/// (only Debian, NuGet and npm are), and neither NuGet nor npm has a Grafana HTTP API client; so the referee here is the
/// excerpt of Grafana's published OpenAPI spec below, from grafana/grafana <c>public/api-merged.json</c> (paths
/// <c>/annotations</c> get and post; definition <c>PostAnnotationsCmd</c>; responses <c>createAnnotationResponse</c> and
/// <c>getAnnotationsResponse</c>'s <c>Annotation</c> items, abridged to the fields used). Ports: LocalHttpServer's 24000–24999.
/// </summary>
public sealed class GrafanaAnnotationApiTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    /// <summary>Property name → JSON type, per the spec excerpt; <c>text</c> is the required field of PostAnnotationsCmd.</summary>
    private static readonly Dictionary<string, string> PostAnnotationsCmd = new()
    {
        ["dashboardId"] = "integer",
        ["dashboardUID"] = "string",
        ["data"] = "object",
        ["panelId"] = "integer",
        ["tags"] = "array",
        ["text"] = "string",
        ["time"] = "integer",
        ["timeEnd"] = "integer",
    };

    private static readonly Dictionary<string, string> CreateAnnotationResponse = new() { ["id"] = "integer", ["message"] = "string" };

    private static readonly Dictionary<string, string> Annotation = new()
    {
        ["id"] = "integer",
        ["alertId"] = "integer",
        ["dashboardId"] = "integer",
        ["dashboardUID"] = "string",
        ["panelId"] = "integer",
        ["userId"] = "integer",
        ["newState"] = "string",
        ["prevState"] = "string",
        ["time"] = "integer",
        ["timeEnd"] = "integer",
        ["text"] = "string",
        ["metric"] = "string",
        ["tags"] = "array",
        ["data"] = "object",
        ["userName"] = "string",
    };

    private static void Conforms(JsonObject json, Dictionary<string, string> schema, string what)
    {
        foreach (var (key, value) in json)
        {
            schema.Should().ContainKey(key, $"{what} has only properties of the spec ({json.ToJsonString()})");
            if (value is null) continue;
            var kind = value.GetValueKind() switch
            {
                System.Text.Json.JsonValueKind.Number => "integer",
                System.Text.Json.JsonValueKind.String => "string",
                System.Text.Json.JsonValueKind.Array => "array",
                System.Text.Json.JsonValueKind.Object => "object",
                var k => k.ToString(),
            };
            kind.Should().Be(schema[key], $"{what}.{key} is typed as the spec says");
        }
    }

    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_796_580_000_250);

    [Fact]
    public async Task Pipeline_s_annotation_conforms_to_Grafana_s_spec_and_reads_back_with_its_tags_and_times()
    {
        using var fake = new FakeGrafanaApi();
        var client = new GrafanaClient(Http, fake.Url, FakeGrafanaApi.Token);
        var annotation = new GrafanaAnnotation(Start, Start.AddSeconds(30), ["pipeline", "deploy", "staging", "web"],
            "web a → b (succeeded)",
            "deploys");

        var id = await client.AnnotateAsync(annotation, Ct);

        id.Should().Be(1);
        var post = fake.Requests.Single();
        (post.Method, post.Path).Should().Be(("POST", "/api/annotations"));
        post.Headers["Content-Type"].Should().StartWith("application/json");
        var body = JsonNode.Parse(post.Body)!.AsObject();
        Conforms(body, PostAnnotationsCmd, "PostAnnotationsCmd");
        body["text"]!.GetValue<string>().Should().NotBeEmpty("text is the one required field");

        var answer = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(fake.Url,
            $"/api/annotations?from={Start.ToUnixTimeMilliseconds()}&tags=deploy&tags=web&limit=10"))
        { Headers = { { "Authorization", $"Bearer {FakeGrafanaApi.Token}" } } }, Ct);
        var found = JsonNode.Parse(await answer.Content.ReadAsStringAsync(Ct))!.AsArray();
        found.Should().ContainSingle();
        Conforms(found[0]!.AsObject(), Annotation, "Annotation");
        found[0]!["time"]!.GetValue<long>().Should().Be(1_796_580_000_250);
        found[0]!["timeEnd"]!.GetValue<long>().Should().Be(1_796_580_030_250);
        found[0]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("pipeline", "deploy", "staging", "web");
        found[0]!["dashboardUID"]!.GetValue<string>().Should().Be("deploys");
    }

    [Fact]
    public async Task The_fake_answers_a_create_as_the_spec_does_and_takes_the_nulls_grafana_client_sends()
    {
        using var fake = new FakeGrafanaApi();
        // The body grafana-client's add_annotation builds (grafana_client/elements/annotations.py): panelId and timeEnd may be null.
        var sdkBody = """{"panelId":null,"time":1796580000250,"timeEnd":null,"tags":["deploy"],"text":"by hand"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fake.Url, "/api/annotations"))
        {
            Content = new StringContent(sdkBody, System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Authorization", $"Bearer {FakeGrafanaApi.Token}" } },
        };
        var response = await Http.SendAsync(request, Ct);

        ((int)response.StatusCode).Should().Be(200);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        Conforms(created, CreateAnnotationResponse, "createAnnotationResponse");
        fake.Annotations().Single()["timeEnd"]!.GetValue<long>().Should().Be(1_796_580_000_250, "a point annotation ends where it starts");
    }

    [Fact]
    public async Task A_wrong_token_is_a_401_that_names_GrafanaToken_and_never_the_token()
    {
        using var fake = new FakeGrafanaApi();
        const string wrong = "glsa_wrong-token-never-printed";
        var client = new GrafanaClient(Http, fake.Url, wrong);

        var failure = await FluentActions.Awaiting(() => client.AnnotateAsync(new GrafanaAnnotation(Start, Start, ["x"], "y"), Ct))
            .Should().ThrowAsync<PipelineException>();

        failure.Which.Message.Should().Contain("(401)").And.Contain("Unauthorized").And.Contain("check GrafanaToken")
            .And.NotContain(wrong);
        fake.Annotations().Should().BeEmpty();
    }

    [Fact]
    public async Task No_Grafana_listening_is_a_failure_naming_the_url_to_check()
    {
        var fake = new FakeGrafanaApi();
        var url = fake.Url;
        fake.Dispose();
        var client = new GrafanaClient(Http, url, FakeGrafanaApi.Token);

        var failure = await FluentActions.Awaiting(() => client.AnnotateAsync(new GrafanaAnnotation(Start, Start, ["x"], "y"), Ct))
            .Should().ThrowAsync<PipelineException>();

        failure.Which.Message.Should().Contain("no answer").And.Contain("monitoring/grafana/url");
    }
}
