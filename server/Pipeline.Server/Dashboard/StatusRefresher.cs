using System.Collections.Concurrent;

namespace Pipeline.Server.Dashboard;

/// <summary>The background worker behind the dashboard: reads every environment's state every few seconds, so a page never
/// waits on a file or a host, and shows when each value was read.</summary>
public sealed class StatusRefresher(ServerOptions options, ILogger<StatusRefresher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, EnvironmentStatus> _status = new();

    public IReadOnlyList<string> Environments() =>
        Directory.Exists(options.EnvironmentsDirectory)
            ? [.. Directory.GetFiles(options.EnvironmentsDirectory, "*.yml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order()]
            : [];

    public EnvironmentStatus Status(string environment) =>
        _status.GetOrAdd(environment, e => EnvironmentStatus.Read(e, options, DateTimeOffset.UtcNow));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RefreshInterval);
        do
        {
            foreach (var environment in Environments())
            {
                try { _status[environment] = EnvironmentStatus.Read(environment, options, DateTimeOffset.UtcNow); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("Could not refresh {Environment}: {Message}", environment, e.Message);
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result,
                     TaskScheduler.Default));
    }
}
