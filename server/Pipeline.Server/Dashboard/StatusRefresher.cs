using Pipeline.Server.Status;
using System.Collections.Concurrent;

namespace Pipeline.Server.Dashboard;

/// <summary>The background worker behind the dashboard: reads every environment's state every few seconds, so a page never
/// waits on a file or a host, and shows when each value was read.</summary>
public sealed class StatusRefresher(ServerOptions options, BackupHistory history, ILogger<StatusRefresher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, EnvironmentStatus> _status = new();
    private readonly InstanceReader _instances = new(new HttpClient(new SocketsHttpHandler { UseProxy = false }), options.Root);

    public IReadOnlyList<string> Environments() =>
        Directory.Exists(options.EnvironmentsDirectory)
            ? [.. Directory.GetFiles(options.EnvironmentsDirectory, "*.yml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order()]
            : [];

    /// <summary>The last reading of <paramref name="environment"/>; read now when the worker has not got to it yet.</summary>
    public async Task<EnvironmentStatus> StatusAsync(string environment, CancellationToken ct) =>
        _status.TryGetValue(environment, out var status) ? status : _status[environment] = await ReadAsync(environment, ct);

    private Task<EnvironmentStatus> ReadAsync(string environment, CancellationToken ct) =>
        EnvironmentStatus.ReadAsync(environment, options, _instances, history, DateTimeOffset.UtcNow, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RefreshInterval);
        do
        {
            foreach (var environment in Environments())
            {
                try { _status[environment] = await ReadAsync(environment, stoppingToken); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
                {
                    logger.LogWarning("Could not refresh {Environment}: {Message}", environment, e.Message);
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result,
                     TaskScheduler.Default));
    }
}
