using Pipeline.Deploying.Definitions;
using Pipeline.Engine;
using Pipeline.Tools.Ssh;
using System.Collections.Concurrent;

namespace Pipeline.Deploying.Ssh;

/// <summary>An image Publish saved as a tar (no registry): its id, the file, and the sha256 recorded beside it.</summary>
public sealed record SavedImage(string Reference, string Tar, string? Sha256);

/// <summary>
/// Delivers saved image tars to ssh hosts: when <c>docker image inspect &lt;id&gt;</c> on the host does not find the
/// image, the tar (checked against its recorded sha256 first) is streamed over the host's pooled SSH.NET connection straight into
/// <c>docker load</c> on the host, and the image is looked up again. Once per host and image per run, however many slots start.
/// </summary>
public sealed class SshImageDelivery(IReadOnlyDictionary<string, SavedImage> saved)
{
    private readonly ConcurrentDictionary<(string Host, string Image), Lazy<Task>> _delivered = new();
    private readonly ConcurrentDictionary<string, Lazy<Task>> _verified = new();

    public bool Knows(string image) => saved.ContainsKey(image);

    public Task EnsureAsync(SshHost host, string image, CancellationToken ct) =>
        _delivered.GetOrAdd((host.ToString(), image), _ => new Lazy<Task>(() => DeliverAsync(host, saved[image], ct))).Value;

    private async Task DeliverAsync(SshHost host, SavedImage image, CancellationToken ct)
    {
        var name = ImageResolver.Short(image.Reference);
        if ((await host.RunAsync(SshDockerCommands.ImagePresent(image.Reference), ct, check: false)).ExitCode == 0)
        {
            Log.Information($"  {host}: {name} is already there; not sent");
            return;
        }
        await _verified.GetOrAdd(image.Tar, _ => new Lazy<Task>(() => VerifyAsync(image, ct))).Value;
        var size = new FileInfo(image.Tar).Length;
        Log.Information($"  {host}: sending {Path.GetFileName(image.Tar)} ({size / 1048576.0:0.#} MiB) into docker load…");
        await host.RunAsync(SshDockerCommands.Load(), async (stdin, token) =>
        {
            await using var tar = new FileStream(image.Tar, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await tar.CopyToAsync(stdin, 1 << 16, token);
        }, null, ct);
        if ((await host.RunAsync(SshDockerCommands.ImagePresent(image.Reference), ct, check: false)).ExitCode != 0)
            throw new PipelineException(
                $"ssh {host}: docker load of {image.Tar} did not give image {name} (is artifacts/published.json from the same Publish?)"
            );
        Log.Information($"  {host}: {name} loaded");
    }

    private static async Task VerifyAsync(SavedImage image, CancellationToken ct)
    {
        if (!File.Exists(image.Tar))
            throw new PipelineException(
                $"{image.Tar}: the saved image {ImageResolver.Short(image.Reference)} is missing (run Publish again)"
            );
        if (image.Sha256 is null) return;
        var actual = await FileHash.Sha256Async(image.Tar, ct);
        if (!string.Equals(actual, image.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new PipelineException(
                $"{image.Tar}: sha256 {actual[..12]}… is not the {image.Sha256[..Math.Min(12, image.Sha256.Length)]}… Publish recorded "
                + $"(damaged or replaced; run Publish again)"
            );
    }

    /// <summary>The saved tars of artifacts/published.json for an image name, by reference (paths made absolute with <paramref
    /// name="rooted"/>).</summary>
    public static SshImageDelivery From(ImageResolver resolver, string name, Func<string, string> rooted) =>
        new(resolver.SavedArchives(name).ToDictionary(a => a.Reference, a => a with { Tar = rooted(a.Tar) }));
}
