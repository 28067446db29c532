using Pipeline.Server.Jobs;
using System.Net.Http.Json;

namespace Pipeline.Server.Hooks;

/// <summary>Posts a Slack command's job progress (started, then the result) to the command's response URL: https, or
/// loopback http for tests.</summary>
public sealed class SlackProgress(JobStore store, IHttpClientFactory clients, ILogger<SlackProgress> logger)
{
    public void Follow(string jobId, string responseUrl)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) || !(url.Scheme == "https" || url.IsLoopback)) return;
        _ = Task.Run(async () =>
        {
            var last = JobStatus.Queued;
            try
            {
                while (await store.FindAsync(jobId, CancellationToken.None) is { } job)
                {
                    if (job.Status != last)
                    {
                        last = job.Status;
                        var text = $"Job {job.Id} ({string.Join(' ', job.Targets)} on {job.Environment}): "
                            + job.Status.ToString().ToLowerInvariant();
                        using var client = clients.CreateClient();
                        await client.PostAsJsonAsync(url, new { response_type = "in_channel", replace_original = false, text });
                    }
                    if (job.IsFinished) return;
                    await Task.Delay(TimeSpan.FromSeconds(2));
                }
            }
            catch (HttpRequestException e)
            {
                logger.LogWarning("Slack's response URL refused the progress of job {Job}: {Message}", jobId, e.Message);
            }
        });
    }
}
