using Pipeline.Tools.S3;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace Pipeline.Backups;

/// <summary>
/// An encrypted repository's view of its store: every object is sealed on the way up and authenticated on the way
/// down (<see cref="SealedFormat"/>), bound to its name, except the repository marker and the key slots, which are
/// what opens it. Listings report content lengths (a stored object whose length no content seals to reports -1, so a
/// size check never trusts it). The keys are opened on first use: a no-op backup, which reads and writes nothing,
/// never derives them.
/// </summary>
public sealed class SealedObjectStore(IObjectStore inner, Func<CancellationToken, Task<RepositoryCipher>> open) : IObjectStore
{
    private readonly Lock _gate = new();
    private Task<RepositoryCipher>? _cipher;

    public IObjectStore Inner => inner;

    /// <summary>The store under any sealing (the no-op probe speaks S3 itself, and reads only keys).</summary>
    public static IObjectStore Unwrap(IObjectStore store) => store is SealedObjectStore s ? s.Inner : store;

    public Task<RepositoryCipher> CipherAsync(CancellationToken ct)
    {
        lock (_gate) return _cipher is { IsFaulted: false, IsCanceled: false } c ? c : _cipher = open(ct);
    }

    /// <summary>How this run names contents; call <see cref="CipherAsync"/> first.</summary>
    public ContentNaming Naming => _cipher is { IsCompletedSuccessfully: true } c
        ? c.Result.Naming
        : throw new InvalidOperationException("the repository's keys are not open yet");

    private static bool IsClear(string key) =>
        key == RepositoryLayout.Config || key.StartsWith(RepositoryLayout.Keys, StringComparison.Ordinal);

    public async Task PutAsync(string key, Stream content, CancellationToken ct)
    {
        if (IsClear(key)) { await inner.PutAsync(key, content, ct); return; }
        var cipher = await CipherAsync(ct);
        await using var sealing = new SealingStream(content, key, cipher.KeyForWriting());
        await inner.PutAsync(key, sealing, ct);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        if (IsClear(key)) { await inner.PutAsync(key, content, ct); return; }
        var cipher = await CipherAsync(ct);
        // Sealed into a pooled buffer: a new 8 MiB array for every pack is fresh memory, and faulting its pages in cost
        // more than AES-GCM over them (most of the encrypted cold upload's extra time). The store holds it only for the call.
        var length = checked((int)SealedFormat.SealedLength(content.Length));
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            SealedFormat.Seal(key, content.Span, cipher.KeyForWriting(), buffer.AsSpan(0, length));
            await inner.PutAsync(key, buffer.AsMemory(0, length), ct);
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    public async Task PutOwnedAsync(string key, byte[] buffer, int length, CancellationToken ct)
    {
        if (IsClear(key)) { await inner.PutAsync(key, buffer.AsMemory(0, length), ct); return; }
        var cipher = await CipherAsync(ct);
        if (SealedFormat.SealInPlace(key, buffer, length, cipher.KeyForWriting()))
            await inner.PutAsync(key, buffer.AsMemory(0, checked((int)SealedFormat.SealedLength(length))), ct);
        else await PutAsync(key, buffer.AsMemory(0, length), ct);
    }

    public async Task<Stream?> GetAsync(string key, CancellationToken ct)
    {
        if (IsClear(key)) return await inner.GetAsync(key, ct);
        // Authenticated here, segment by segment: the store's own ETag check would hash every byte a second time.
        var body = await inner.GetContentAsync(key, ct);
        if (body is null) return null;
        try
        {
            var header = new byte[SealedFormat.HeaderSize];
            if (await body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct) < header.Length)
                throw TamperedObjectException.Truncated(key);
            if (SealedFormat.ModeOf(header) is null) throw new TamperedObjectException(key, "its header (it is not sealed by Pipeline)");
            var cipher = await CipherAsync(ct);
            return new OpeningStream(body, key, await cipher.KeyForReadingAsync(key, header, ct));
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }
    }

    public Task<Stream?> GetContentAsync(string key, CancellationToken ct) => GetAsync(key, ct);

    public Task<bool> ExistsAsync(string key, CancellationToken ct) => inner.ExistsAsync(key, ct);

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var o in inner.ListAsync(prefix, ct))
            yield return IsClear(o.Key) ? o : o with { Size = SealedFormat.PlainLength(o.Size) };
    }

    public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);
}
