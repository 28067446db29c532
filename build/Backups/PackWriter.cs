using Pipeline.Tools.S3;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// Collects small contents into packs of about <see cref="TargetSize"/> bytes and stores each full pack, then its
/// index, in the background (a few at a time; adding waits when all upload slots are busy). Every S3 request costs
/// the same whether it carries 4 KiB or 8 MiB, so a thousand small files become a handful of requests, as in restic
/// or kopia. A content is added at most once per writer. Call <see cref="CompleteAsync"/> to store the last pack and
/// wait for all of them; until it returns, nothing added may be relied on.
/// </summary>
/// <param name="naming">How packs are named (by the SHA-256 of their content, keyed in an encrypted repository).</param>
public sealed class PackWriter(IObjectStore store, PackCatalog catalog, int uploadsInFlight = 3, ContentNaming? naming = null)
{
    /// <summary>Contents up to this size are packed; larger ones are stored as objects of their own.</summary>
    public const long MaxPackedSize = 4L << 20;
    /// <summary>A pack is sealed and sent once it holds at least this much.</summary>
    public const int TargetSize = 8 << 20;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _added = new(StringComparer.Ordinal);
    private readonly List<Task> _uploads = [];
    private readonly SemaphoreSlim _slots = new(uploadsInFlight); // never disposed: a cancelled run's uploads still release it
    private MemoryStream _current = NewPack();
    private List<PackedBlob> _blobs = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _written = new(StringComparer.Ordinal);

    public int PacksWritten => _written.Count;
    /// <summary>The packs stored so far (by their SHA-256).</summary>
    public ICollection<string> Written => _written.Keys;

    /// <summary>Adds a content; false when this writer already has it.</summary>
    public async Task<bool> AddAsync(string sha256, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        if (content.Length > MaxPackedSize)
            throw new ArgumentException($"{content.Length} bytes is over the packed limit of {MaxPackedSize}", nameof(content));
        (MemoryStream, List<PackedBlob>)? full = null;
        lock (_gate)
        {
            ThrowIfAnUploadFailed();
            if (!_added.Add(sha256)) return false;
            _blobs.Add(new PackedBlob(sha256, _current.Length, content.Length));
            _current.Write(content.Span);
            if (_current.Length >= TargetSize) full = Seal();
        }
        if (full is { } pack) await StartAsync(pack, ct);
        return true;
    }

    /// <summary>Stores what is left and waits until every pack and its index are stored.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        (MemoryStream, List<PackedBlob>)? rest = null;
        lock (_gate) if (_blobs.Count > 0) rest = Seal();
        if (rest is { } pack) await StartAsync(pack, ct);
        Task[] uploads;
        lock (_gate) uploads = [.. _uploads];
        await Task.WhenAll(uploads);
    }

    private (MemoryStream, List<PackedBlob>) Seal()
    {
        var sealedPack = (_current, _blobs);
        _current = NewPack();
        _blobs = [];
        return sealedPack;
    }

    /// <summary>Sized for a full pack up front (growing by doubling would leave every pack a 16 MiB buffer), with room to
    /// seal it where it lies in an encrypted repository.</summary>
    private static MemoryStream NewPack() => new((int)SealedFormat.SealedLength(TargetSize + MaxPackedSize));

    /// <summary>Waits for the uploads already started, ignoring their errors: for a run that failed anyway, so none
    /// of them is still writing when it ends (an upload cut off on s3rver leaves a truncated object).</summary>
    public async Task DrainAsync()
    {
        Task[] uploads;
        lock (_gate) uploads = [.. _uploads];
        try { await Task.WhenAll(uploads); }
        catch (Exception e) when (e is not OutOfMemoryException) { /* the run's own error is the one reported */ }
    }

    private async Task StartAsync((MemoryStream Bytes, List<PackedBlob> Blobs) pack, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        var upload = Task.Run(async () =>
        {
            try { await StoreAsync(pack.Bytes, pack.Blobs, ct); }
            finally { _slots.Release(); }
        }, CancellationToken.None);
        lock (_gate) _uploads.Add(upload);
    }

    private async Task StoreAsync(MemoryStream bytes, List<PackedBlob> blobs, CancellationToken ct)
    {
        var content = Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        var sha = (naming ?? ContentNaming.Plain).Name(content);
        // Two runs that pack the same new contents in the same order make the same pack: never write over one that
        // is stored whole and indexed (a second write cut short would truncate what a snapshot already relies on).
        var index = new PackIndex(PackIndex.CurrentFormat, sha, blobs);
        if (await store.SizeOfAsync(RepositoryLayout.Pack(sha), ct) != bytes.Length)
            await store.PutOwnedAsync(RepositoryLayout.Pack(sha), bytes.GetBuffer(), (int)bytes.Length, ct); // sealed where it lies
        if (await store.SizeOfAsync(RepositoryLayout.Index(sha), ct) != index.ToJson().Length) await catalog.WriteAsync(index, ct);
        _written[sha] = true;
    }

    /// <summary>Stops adding as soon as an upload failed: its error is the one that matters.</summary>
    private void ThrowIfAnUploadFailed()
    {
        if (_uploads.FirstOrDefault(u => u.IsFaulted) is { } failed) ExceptionDispatchInfo.Throw(failed.Exception!.InnerException!);
    }
}
