using Microsoft.AspNetCore.Builder;
using System.Collections;
using System.Net.Http.Headers;
using System.Text;

namespace Heartbeat.Tests;

/// <summary>The app started in this process on 127.0.0.1 with a free port; stopped on dispose.</summary>
public sealed class RunningHeartbeat : IAsyncDisposable
{
    public const string User = "ops";
    public const string Password = "s3cret";

    private RunningHeartbeat(WebApplication app, HttpClient client) => (App, Client) = (app, client);

    internal WebApplication App { get; }
    public HttpClient Client { get; }

    internal static async Task<RunningHeartbeat> StartAsync(Action<WebApplication>? extraRoutes = null)
    {
        var environment = new Hashtable
        {
            ["HEARTBEAT_BIND"] = "127.0.0.1",
            ["HEARTBEAT_PORT"] = "0",
            ["HEARTBEAT_USER"] = User,
            ["HEARTBEAT_PASSWORD"] = Password,
            ["HEARTBEAT_INSTANCE"] = "test-1",
            ["HEARTBEAT_VERSION"] = "1.2.3+gtest",
            ["HEARTBEAT_SHUTDOWN_TIMEOUT"] = "5",
        };
        var app = HeartbeatApp.Build([], HeartbeatSettings.Load(environment, new Dictionary<string, string>()), extraRoutes);
        await app.StartAsync();
        return new RunningHeartbeat(app, new HttpClient { BaseAddress = new Uri(app.Urls.Single()) });
    }

    public static AuthenticationHeaderValue Credentials(string user = User, string password = Password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>One server shared by the endpoint tests of a class.</summary>
public sealed class HeartbeatFixture : Xunit.IAsyncLifetime
{
    public RunningHeartbeat Server { get; private set; } = null!;
    public async Task InitializeAsync() => Server = await RunningHeartbeat.StartAsync();
    public async Task DisposeAsync() => await Server.DisposeAsync();
}
