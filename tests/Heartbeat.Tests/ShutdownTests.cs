using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;

namespace Heartbeat.Tests;

public class ShutdownTests
{
    [Fact]
    public async Task Stopping_finishes_the_in_flight_request_and_refuses_new_connections()
    {
        var entered = new TaskCompletionSource();
        var server = await RunningHeartbeat.StartAsync(app => app.MapGet("/slow", async () =>
        {
            entered.SetResult();
            await Task.Delay(700);
            return "done";
        }));
        var address = server.Client.BaseAddress!;
        using var client = new HttpClient { BaseAddress = address };

        var inFlight = client.GetStringAsync("/slow");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var stopping = server.App.StopAsync();

        (await inFlight).Should().Be("done");
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        await server.DisposeAsync();
        using var fresh = new HttpClient { BaseAddress = address };
        var afterStop = () => fresh.GetAsync("/heartbeat");
        await afterStop.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task The_process_exits_0_on_sigterm()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "heartbeat.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["HEARTBEAT_BIND"] = "127.0.0.1",
                ["HEARTBEAT_PORT"] = port.ToString(),
                ["HEARTBEAT_ENV_FILE"] = "/nonexistent",
            },
        };
        using var process = Process.Start(start)!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilAnswering(client);

            Kill(process.Id, 15).Should().Be(0);

            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(bound.Token);
            process.ExitCode.Should().Be(0);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    private static async Task WaitUntilAnswering(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/heartbeat")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
