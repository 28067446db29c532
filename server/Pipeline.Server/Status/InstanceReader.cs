using System.Text.Json;

namespace Pipeline.Server.Status;

/// <summary>
/// The instances of an environment's groups: the members each deploy listed in its file_sd file (the listing Prometheus and Dns
/// read), the image the group's journal says each runs (else the group's last deployed image), and a health check of each on its
/// group's health path, whose JSON answer names the version (the heartbeat app's <c>version</c>) when it has one.
/// </summary>
public sealed class InstanceReader(HttpClient http, string root)
{
    public async Task<IReadOnlyList<InstanceView>> ReadAsync(EnvironmentOutline outline, IReadOnlyList<GroupView> groups,
        CancellationToken ct)
    {
        var instances = new List<InstanceView>();
        foreach (var group in outline.Groups.Where(g => g.FileSd is not null))
        {
            var listing = Path.IsPathRooted(group.FileSd!) ? group.FileSd! : Path.Combine(root, group.FileSd!);
            if (!File.Exists(listing)) continue;
            var images = JournalImages(outline.Environment, group.Name);
            var groupImage = groups.FirstOrDefault(g => g.Name == group.Name)?.Image;
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(listing, ct));
            var addresses = doc.RootElement.EnumerateArray()
                .SelectMany(e => e.TryGetProperty("targets", out var t) ? t.EnumerateArray().Select(a => a.GetString() ?? "") : []);
            var probes = addresses.Select(a => ProbeAsync(group, a, ct)).ToList();
            foreach (var (address, healthy, health, name, version) in await Task.WhenAll(probes))
                instances.Add(new InstanceView(group.Name, address, name, name is not null && images.TryGetValue(name, out var image)
                    ? image : groupImage, version, healthy, health));
        }
        return instances;
    }

    private async Task<(string, bool, string, string?, string?)> ProbeAsync(GroupOutline group, string address, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var answer = await http.GetAsync($"http://{address}{group.HealthPath}", timeout.Token);
            var body = await answer.Content.ReadAsStringAsync(timeout.Token);
            string? name = null, version = null;
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    name = doc.RootElement.TryGetProperty("instance", out var n) ? n.GetString() : null;
                    version = doc.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
                }
            }
            catch (JsonException) { } // a plain-text health answer names no version
            return (address, answer.IsSuccessStatusCode, $"HTTP {(int)answer.StatusCode}", name, version);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return (address, false, e is OperationCanceledException ? "no answer in 3s" : "refused", null, null);
        }
    }

    /// <summary>Per instance, the image the group's journal (<c>.nuke/temp/deploy/&lt;env&gt;/&lt;group&gt;.journal.jsonl</c>) last
    /// started it with.</summary>
    private Dictionary<string, string> JournalImages(string environment, string group)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Path.Combine(root, ".nuke", "temp", "deploy", environment, $"{group}.journal.jsonl");
        if (!File.Exists(path)) return images;
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var e = doc.RootElement;
                if (!e.TryGetProperty("instance", out var i) || i.GetString() is not { } name) continue;
                var step = e.TryGetProperty("step", out var s) ? s.GetString() : null;
                if (step == "removed") images.Remove(name);
                else if (step is "replace" or "started" or "rollback" or "surge" && e.TryGetProperty("to", out var to)
                    && to.GetString() is { } image)
                    images[name] = image;
            }
            catch (JsonException) { } // a line torn by a kill
        }
        return images;
    }
}
