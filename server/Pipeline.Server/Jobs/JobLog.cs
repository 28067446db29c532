namespace Pipeline.Server.Jobs;

/// <summary>
/// A job's output, one file per job under the state folder: each line masked (<see cref="Pipeline.Engine.SecretMasker"/>)
/// before it is written, so the file, the API and the dashboard never hold a secret.
/// </summary>
public sealed class JobLog(string directory, Pipeline.Engine.SecretMasker masker)
{
    private readonly object _gate = new();

    public string PathOf(string jobId) => Path.Combine(directory, $"{jobId}.log");

    public void Append(string jobId, string line)
    {
        var masked = masker.Mask(line) + "\n";
        lock (_gate)
        {
            Directory.CreateDirectory(directory);
            File.AppendAllText(PathOf(jobId), masked);
        }
    }

    /// <summary>Follows the file from its start: every line already there, then each new one until <paramref name="finished"/>
    /// says the job is over and no line is left.</summary>
    public async IAsyncEnumerable<string> FollowAsync(string jobId, Func<CancellationToken, Task<bool>> finished,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var path = PathOf(jobId);
        while (!File.Exists(path))
        {
            if (await finished(ct)) yield break;
            await Task.Delay(200, ct);
        }
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var partial = "";
        while (true)
        {
            var chunk = await reader.ReadToEndAsync(ct);
            if (chunk.Length > 0)
            {
                var lines = (partial + chunk).Split('\n');
                partial = lines[^1];
                foreach (var line in lines[..^1]) yield return masker.Mask(line);
                continue;
            }
            // Read once more after the job ended: lines written between the last read and the end are not lost.
            if (await finished(ct))
            {
                var rest = partial + await reader.ReadToEndAsync(ct);
                foreach (var line in rest.Split('\n').Where(l => l.Length > 0)) yield return masker.Mask(line);
                yield break;
            }
            await Task.Delay(200, ct);
        }
    }
}
