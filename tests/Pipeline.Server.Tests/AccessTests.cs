using Microsoft.Data.Sqlite;
using System.Net;

namespace Pipeline.Server.Tests;

/// <summary>Tokens and scopes, the audit log and the rate limit, against the real server.</summary>
public sealed class AccessTests
{
    [Fact]
    public async Task A_read_only_token_reads_but_cannot_start_a_job_and_a_staging_token_cannot_touch_production()
    {
        await using var server = await RunningServer.StartAsync();
        var admin = await server.MintAsync("admin", "env:*,target:*");
        var reader = await server.MintAsync("viewer", "env:*,read-only");
        var staging = await server.MintAsync("staging-team", "env:staging,target:Deploy,target:ValidateImages");
        var production = await server.SubmitIdAsync(admin, "production", "ValidateImages");

        (await server.SubmitAsync(reader, "staging", "ValidateImages")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await server.Client.SendAsync(server.Request(HttpMethod.Get, $"/api/jobs/{production}", reader))).StatusCode
            .Should().Be(HttpStatusCode.OK);
        (await server.Client.SendAsync(server.Request(HttpMethod.Delete, $"/api/jobs/{production}", reader))).StatusCode
            .Should().Be(HttpStatusCode.Forbidden);

        (await server.SubmitAsync(staging, "production", "Deploy")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await server.SubmitAsync(staging, "staging", "Backup")).StatusCode
            .Should().Be(HttpStatusCode.Forbidden, "Backup is not in its targets");
        (await server.Client.SendAsync(server.Request(HttpMethod.Get, $"/api/jobs/{production}", staging))).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await server.Client.SendAsync(server.Request(HttpMethod.Delete, $"/api/jobs/{production}", staging))).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await server.SubmitAsync(staging, "staging", "validate-images")).StatusCode.Should().Be(HttpStatusCode.Created);

        (await server.Client.GetAsync($"/api/jobs/{production}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await server.SubmitAsync("pl_not-a-token", "staging", "Deploy")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tokens_are_stored_hashed_and_every_request_and_job_lands_in_the_audit_log()
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.MintAsync("ops", "env:local,target:*");
        var id = await server.SubmitIdAsync(token, "local", "ValidateImages");
        await server.WaitForStatusAsync(token, id, s => s == "succeeded");
        await server.SubmitAsync(token, "production", "Deploy");

        await using var db = new SqliteConnection($"Data Source={Path.Combine(server.State, "pipeline.db")};Mode=ReadOnly");
        await db.OpenAsync();
        var tokens = db.CreateCommand();
        tokens.CommandText = "SELECT hash FROM tokens";
        ((string)(await tokens.ExecuteScalarAsync())!).Should().Be(Access.ApiToken.Hash(token)).And.NotContain(token);
        var audit = db.CreateCommand();
        audit.CommandText = "SELECT actor || ' ' || action || ' ' || subject || ' ' || status FROM audit ORDER BY seq";
        var rows = new List<string>();
        await using (var r = await audit.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add(r.GetString(0));
        rows.Should().Contain($"ops job.queued jobs/{id} 201").And.Contain($"ops job.finished jobs/{id} 0")
            .And.Contain("ops http.POST /api/jobs 201").And.Contain("ops job.refused environments/production 403")
            .And.Contain("ops http.POST /api/jobs 403");
        rows.Should().NotContain(r => r.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_API_is_rate_limited_per_token()
    {
        await using var server = await RunningServer.StartAsync(extra: ["--rate-limit", "3"]);
        var token = await server.MintAsync("ops", "env:local,target:*");

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            codes.Add((await server.Client.SendAsync(server.Request(HttpMethod.Get, "/api/jobs", token))).StatusCode);

        codes.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests,
            HttpStatusCode.TooManyRequests);
        (await server.Client.SendAsync(server.Request(HttpMethod.Get, "/api/jobs", await server.MintAsync("other", "env:local,read-only"))))
            .StatusCode.Should().Be(HttpStatusCode.OK, "each token has its own window");
    }
}
