using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Tools.Etcd;

/// <summary>One call of etcd's v3 JSON gateway: always a POST of a JSON body to <see cref="Path"/>.</summary>
public sealed record EtcdRequest(string Path, JsonObject Body)
{
    public override string ToString() => $"POST {Path} {Body.ToJsonString()}";
}

/// <summary>
/// The etcd v3 gateway requests the outputs need (etcd 3.4+: <c>/v3/kv/*</c>). Keys and values are bytes, so the
/// JSON carries them base64-encoded; a prefix is read as the range [prefix, prefix with its last byte + 1).
/// </summary>
public static class EtcdRequests
{
    public static EtcdRequest Put(string key, string value) =>
        new("/v3/kv/put", new JsonObject { ["key"] = B64(key), ["value"] = B64(value) });

    public static EtcdRequest Delete(string key) => new("/v3/kv/deleterange", new JsonObject { ["key"] = B64(key) });

    /// <summary>The keys (only) under a prefix.</summary>
    public static EtcdRequest KeysUnder(string prefix) =>
        new(
            "/v3/kv/range",
            new JsonObject
            {
                ["key"] = B64(prefix),
                ["range_end"] = Convert.ToBase64String(RangeEnd(prefix)),
                ["keys_only"] = true,
            }
        );

    /// <summary>The key after every key starting with <paramref name="prefix"/>: its last byte incremented (0xff bytes dropped).</summary>
    public static byte[] RangeEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] == 0xff) continue;
            var end = bytes[..(i + 1)];
            end[i]++;
            return end;
        }
        return [0]; // all keys
    }

    /// <summary>The keys of a range answer (<c>kvs</c> is absent when nothing matches).</summary>
    public static IReadOnlyList<string> ParseKeys(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("kvs", out var kvs)) return [];
        return kvs.EnumerateArray()
            .Select(kv => Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!)))
            .ToList();
    }

    /// <summary>What to send so etcd holds exactly <paramref name="members"/> (key → address) under the prefix: puts, then deletes of keys
    /// gone.</summary>
    public static IReadOnlyList<EtcdRequest> Sync(IReadOnlyDictionary<string, string> members, IReadOnlyList<string> existing) =>
        members.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => Put(m.Key, m.Value))
            .Concat(existing.Where(k => !members.ContainsKey(k)).Order(StringComparer.Ordinal).Select(Delete))
            .ToList();

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
