using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Backups;

public sealed record RestoreResult(string SnapshotId, int Files, long Bytes, IReadOnlyList<string> Targets, TimeSpan Duration);

/// <summary>
/// Restores a snapshot: every source is rebuilt in a temporary sibling of its target, each content's SHA-256
/// checked as it downloads (packed contents come a whole pack per request); only when all of them match are the targets swapped into place
/// (rename). On any
/// mismatch or missing object the temporaries are deleted, nothing is replaced, and the error names the file.
/// </summary>
/// <param name="indexCache">Where pack indexes are kept locally (they never change), or null to read them all.</param>
public sealed class RestoreRunner(IObjectStore store, int concurrency = 8, string? indexCache = null)
{
    private ContentStore _content = new(store);
    private string _unreadableIndexes = "";

    /// <param name="targetOf">Where each source goes (its own path, or somewhere else with --restore-into).</param>
    public async Task<RestoreResult> RunAsync(SnapshotManifest manifest, Func<SnapshotSource, string> targetOf, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var work = manifest.Sources.Select(s => (Source: s, Target: targetOf(s), Temp: $"{targetOf(s)}.restoring-{manifest.Id}")).ToList();
        try
        {
            var failures = new ConcurrentBag<(string Key, string Problem)>();
            foreach (var (source, _, temp) in work)
            {
                Delete(temp);
                Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
                if (!source.IsFile)
                {
                    Directory.CreateDirectory(temp);
                    foreach (var dir in source.Entries.Where(e => e.Type == EntryKind.Directory))
                        Directory.CreateDirectory(Path.Combine(temp, dir.Path));
                }
            }
            var files = work.SelectMany(w =>
                    w.Source.Entries.Where(e => e.Type == EntryKind.File)
                        .SelectMany(e =>
                            Pieces(w.Source.IsFile ? w.Temp : Path.Combine(w.Temp, e.Path), ContentUsers.Describe(w.Source, e), e)
                        )
                )
                .ToList();
            var byContent = files.GroupBy(f => f.Sha256).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var indexes = await new PackCatalog(store, indexCache).LoadAsync(ct);
            _content = new ContentStore(store, await ContentNaming.OfAsync(store, manifest, ct));
            _unreadableIndexes = indexes.Damaged.Count == 0 ? ""
                : $"; the pack index{(indexes.Damaged.Count == 1 ? "" : "es")} {string.Join(", ", indexes.Damaged.Select(d => d.Key))} "
                    + "cannot be read (damaged or tampered with), and may name it";
            var (packed, unpacked) = indexes.ByPack(byContent.Keys);
            // One job per pack (a single GET for all the contents wanted from it) and one per file stored on its own.
            var jobs = packed
                .Select(p => (Func<CancellationToken, Task>)(token => RestorePackAsync(p.Pack, p.Blobs, byContent, failures, token)))
                .Concat(
                    unpacked
                        .SelectMany(sha => byContent[sha])
                        .Select(f => (Func<CancellationToken, Task>)(token => RestoreObjectAsync(f, failures, token)))
                )
                .ToList();
            await Parallel.ForEachAsync(
                jobs,
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
                async (job, token) => await job(token)
            );
            if (!failures.IsEmpty)
            {
                var list = failures.Select(f => f.Problem).Order(StringComparer.Ordinal).ToList();
                var keys = failures.Select(f => f.Key).Distinct().Order(StringComparer.Ordinal).ToList();
                foreach (var problem in list) Log.Error($"{manifest.Set} {manifest.Id}: {problem}");
                throw new PipelineException(
                    $"Restore of snapshot {manifest.Id} of {manifest.Set} refused, nothing was replaced: {list.Count} "
                    + $"file{(list.Count == 1 ? "" : "s")} use{(list.Count == 1 ? "s" : "")} "
                        + $"{keys.Count} corrupt or missing stored object{(keys.Count == 1 ? "" : "s")} ({string.Join(", ", keys)}): "
                            + $"{list[0]}{(list.Count > 1 ? $" (and {list.Count - 1} more, listed above)" : "")}."
                );
            }
            foreach (var (source, _, temp) in work) ApplyMetadata(source, temp);
            Swap(work.Select(w => (w.Target, w.Temp)).ToList(), manifest.Id);
            return new RestoreResult(manifest.Id, manifest.Files, manifest.Bytes, work.Select(w => w.Target).ToList(), watch.Elapsed);
        }
        finally
        {
            foreach (var (_, _, temp) in work) Delete(temp);
        }
    }

    /// <param name="Offset">Where a chunk goes in its file; -1: the content is the whole file.</param>
    private sealed record Wanted(string Destination, string Description, string Sha256, long Offset = -1)
    {
        public string What => Offset < 0 ? "content" : $"chunk at byte {Offset:N0},";
    }

    /// <summary>What a file is made of: its content, or each chunk at its offset (the file is created at its full length
    /// first, and each chunk written into place as its pack arrives).</summary>
    private static IEnumerable<Wanted> Pieces(string destination, string description, SnapshotEntry entry)
    {
        if (entry.Chunks is not { } chunks) return [new Wanted(destination, description, entry.Sha256!)];
        using (var file = new FileStream(destination, FileMode.Create, FileAccess.Write)) file.SetLength(entry.Size);
        var pieces = new List<Wanted>(chunks.Count);
        long offset = 0;
        foreach (var chunk in chunks)
        {
            pieces.Add(new Wanted(destination, description, chunk.Sha256, offset));
            offset += chunk.Size;
        }
        return pieces;
    }

    private static async Task WriteAsync(Wanted piece, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        if (piece.Offset < 0)
        {
            await File.WriteAllBytesAsync(piece.Destination, bytes, ct);
            return;
        }
        using var handle = File.OpenHandle(piece.Destination, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        await RandomAccess.WriteAsync(handle, bytes, piece.Offset, ct);
    }

    private async Task RestoreObjectAsync(Wanted file, ConcurrentBag<(string, string)> failures, CancellationToken ct)
    {
        var key = _content.KeyOf(file.Sha256);
        if (file.Offset >= 0) // chunks are only ever packed
        {
            failures.Add(
                (
                    key,
                    $"{file.Description}: its {file.What} {file.Sha256} is missing from the store (no pack index names it"
                    + $"{_unreadableIndexes})"
                )
            );
            return;
        }
        string? actual;
        try { actual = await _content.DownloadAsync(file.Sha256, file.Destination, ct); }
        catch (PipelineException e) when (e is DamagedObjectException or TamperedObjectException)
        {
            failures.Add((key, $"{file.Description}: {e.Message}"));
            return;
        }
        if (actual is null)
            failures.Add(
                (
                    key,
                    $"{file.Description}: its content {file.Sha256} is missing from the store (no pack index names it, and there is no "
                    + $"object {key}{_unreadableIndexes})"
                )
            );
        else if (actual != file.Sha256)
            failures.Add((key, $"{file.Description}: its stored object {key} is corrupt (content hashes to {actual})"));
    }

    private async Task RestorePackAsync(
        string pack,
        IReadOnlyList<PackedBlob> blobs,
        Dictionary<string, List<Wanted>> byContent,
        ConcurrentBag<(string, string)> failures,
        CancellationToken ct
    )
    {
        var key = RepositoryLayout.Pack(pack);
        bool found;
        try
        {
            found = await PackReader.ReadAsync(store, pack, blobs, async (blob, bytes, actual, token) =>
            {
                foreach (var file in byContent[blob.Sha256])
                    if (actual != blob.Sha256)
                        failures.Add(
                            (key, $"{file.Description}: its stored {file.What} {blob.Sha256} in pack {key} is corrupt (hashes to {actual})")
                        );
                    else
                        await WriteAsync(file, bytes, token);
            }, ct);
        }
        catch (PipelineException e) when (e is DamagedObjectException or TamperedObjectException)
        {
            foreach (var file in blobs.SelectMany(b => byContent[b.Sha256])) failures.Add((key, $"{file.Description}: {e.Message}"));
            return;
        }
        if (!found)
            foreach (var file in blobs.SelectMany(b => byContent[b.Sha256]))
                failures.Add(
                    (key, $"{file.Description}: its pack {key} is missing from the store (if a prune ran meanwhile, restore again)")
                );
    }

    /// <summary>Links, modes and times, deepest first so a folder's time is set after its content.</summary>
    private static void ApplyMetadata(SnapshotSource source, string temp)
    {
        foreach (
            var e in source
                .Entries.OrderByDescending(e => e.Path.Count(c => c == '/'))
                .ThenByDescending(e => e.Path, StringComparer.Ordinal)
        )
        {
            var path = source.IsFile ? temp : Path.Combine(temp, e.Path);
            if (e.Type == EntryKind.Symlink)
            {
                File.CreateSymbolicLink(path, e.Target ?? "");
                continue;
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, (UnixFileMode)e.Mode);
            var time = DateTime.UnixEpoch.AddTicks(e.MTimeNs / 100);
            if (e.Type == EntryKind.Directory)
                Directory.SetLastWriteTimeUtc(path, time);
            else
                File.SetLastWriteTimeUtc(path, time);
        }
    }

    /// <summary>Renames each target aside, the temporary into place, then removes what was set aside; if a rename
    /// fails, what was already swapped is put back.</summary>
    private static void Swap(IReadOnlyList<(string Target, string Temp)> swaps, string id)
    {
        var done = new List<(string Target, string Temp, string? Aside)>();
        try
        {
            foreach (var (target, temp) in swaps)
            {
                string? aside = null;
                if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null)
                {
                    aside = $"{target}.replaced-{id}";
                    Delete(aside);
                    Move(target, aside);
                }
                Move(temp, target);
                done.Add((target, temp, aside));
            }
        }
        catch
        {
            foreach (var (target, temp, aside) in Enumerable.Reverse(done))
            {
                Move(target, temp);
                if (aside is not null) Move(aside, target);
            }
            throw;
        }
        foreach (var (_, _, aside) in done) if (aside is not null) Delete(aside);
    }

    private static void Move(string from, string to)
    {
        if (Directory.Exists(from) && new FileInfo(from).LinkTarget is null) Directory.Move(from, to);
        else File.Move(from, to);
    }

    internal static void Delete(string path)
    {
        if (new FileInfo(path).LinkTarget is not null || File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
