using Pipeline.Tools.S3;

namespace Pipeline.Backups;

/// <summary>
/// The no-op backup's one question to S3, asked before anything else is loaded (a whole listing would cost more
/// than the rest of a no-op run): is the snapshot the local cache remembers still the latest of its set? One SigV4-signed
/// ListObjects (v1) request that starts just before that manifest's key and asks for two keys: the answer is yes
/// only when exactly that key comes back (it exists, and no later snapshot of the set does). Any other answer or
/// failure is a no, and the backup takes its ordinary path (it lists the set's snapshots).
/// </summary>
public sealed class LatestSnapshotProbe(S3ObjectStore store)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public async Task<bool> IsLatestAsync(string set, string id, CancellationToken ct)
    {
        var key = store.FullKey(RepositoryLayout.Snapshot(set, id));
        try
        {
            using var request = Request(
                store.Endpoint,
                store.Bucket,
                store.FullKey(RepositoryLayout.SnapshotsOf(set)),
                key,
                DateTimeOffset.UtcNow
            );
            using var response = await Http.SendAsync(request, ct);
            return response.IsSuccessStatusCode && IsOnlyKey(await response.Content.ReadAsStringAsync(ct), key);
        }
        catch (Exception e)
            when (e is HttpRequestException or TaskCanceledException or System.Xml.XmlException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The signed request: keys under <paramref name="prefix"/> after the one just before <paramref name="key"/>, at most
    /// two.</summary>
    public static HttpRequestMessage Request(S3Endpoint endpoint, string bucket, string prefix, string key, DateTimeOffset at) =>
        // "Start after the key minus its last character" lists the key itself first: nothing lies between them.
        ListRequest(endpoint, bucket, [new("marker", key[..^1]), new("max-keys", "2"), new("prefix", prefix)], at);

    /// <summary>A SigV4-signed ListObjects (v1) GET of the bucket, path-style or virtual-hosted as the endpoint says.</summary>
    public static HttpRequestMessage ListRequest(
        S3Endpoint endpoint,
        string bucket,
        KeyValuePair<string, string>[] query,
        DateTimeOffset at
    ) => S3SignedRequest.Create(endpoint, bucket, HttpMethod.Get, "", query, null, at);

    /// <summary>Whether a ListBucketResult names exactly <paramref name="key"/> and is complete.</summary>
    public static bool IsOnlyKey(string listBucketResult, string key)
    {
        try { return ListPage.Parse(listBucketResult) is { IsTruncated: false, Objects: [{ } only] } && only.Key == key; }
        catch (FormatException) { return false; }
    }
}
