using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Pipeline.Engine;
using System.Net;
using System.Runtime.CompilerServices;

namespace Pipeline.Tools.S3;

/// <summary>
/// <see cref="IObjectStore"/> over AWSSDK.S3 for one bucket (and an optional key prefix) of any S3-compatible
/// endpoint. Keys given to and returned by this class are relative to the prefix. Seekable streams larger than
/// <see cref="MultipartThreshold"/> go up in parts, several at once; content in memory and smaller seekable streams go
/// up as one signed PUT without the SDK, and so do listings and deletes (<see cref="S3Direct"/>): a backup that sends
/// only small contents never starts the SDK.
/// </summary>
public sealed class S3ObjectStore : IConditionalObjectStore, IDisposable
{
    public const long MultipartThreshold = 16L << 20;
    public const int PartSize = 8 << 20;
    private const int PartsInParallel = 4;

    private readonly Lazy<AmazonS3Client> _lazyClient;
    private AmazonS3Client Client => _lazyClient.Value;
    private readonly string _prefix;
    private readonly S3Direct _direct;

    public S3ObjectStore(S3Endpoint endpoint, string bucket, string prefix = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        Endpoint = endpoint;
        Bucket = bucket;
        _prefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
        _direct = new S3Direct(endpoint, bucket);
        // Created on first use: a backup with nothing to do never pays for the SDK's start-up.
        _lazyClient = new(() =>
            new AmazonS3Client(
                endpoint.SessionToken is { } token
                    ? new SessionAWSCredentials(endpoint.AccessKey, endpoint.SecretKey, token)
                    : new BasicAWSCredentials(endpoint.AccessKey, endpoint.SecretKey),
                ClientConfig(endpoint))
        );
    }

    public S3Endpoint Endpoint { get; }
    public string Bucket { get; }
    public string Prefix => _prefix;

    /// <summary>The SDK configuration for an S3-compatible endpoint: only the checksums the operation requires
    /// (s3rver and older servers reject the SDK's default trailing checksums), retries with backoff.</summary>
    internal static AmazonS3Config ClientConfig(S3Endpoint endpoint) => new()
    {
        ServiceURL = endpoint.ServiceUrl,
        AuthenticationRegion = endpoint.Region,
        ForcePathStyle = endpoint.PathStyle,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        MaxErrorRetry = 4,
        DisableLogging = true,
        Timeout = TimeSpan.FromMinutes(5),
    };

    public string FullKey(string key) => _prefix + key;

    public async Task PutAsync(string key, Stream content, CancellationToken ct)
    {
        if (content.CanSeek && content.Length - content.Position > MultipartThreshold)
        {
            await PutMultipartAsync(key, content, ct);
            return;
        }
        if (content.CanSeek)
        {
            // Up to the multipart threshold: read once, sent as one signed PUT (a MemoryStream over a given array hides it).
            var bytes = new byte[content.Length - content.Position];
            await content.ReadExactlyAsync(bytes, ct);
            await _direct.PutAsync(FullKey(key), bytes, ct);
            return;
        }
        // No MD5 stream beside the upload (CPU on every object): the signed payload hash already protects the transfer.
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = FullKey(key),
            InputStream = content,
            AutoCloseStream = false,
            UseChunkEncoding = false,
            DisableDefaultChecksumValidation = true,
        };
        await Call(key, () => Client.PutObjectAsync(request, ct));
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        content.Length > MultipartThreshold && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var array)
            ? PutAsync(key, new MemoryStream(array.Array!, array.Offset, array.Count, writable: false), ct)
            : _direct.PutAsync(FullKey(key), content, ct);

    /// <summary>
    /// A conditional write (<c>If-None-Match: *</c>): real S3, MinIO and Ceph refuse it with 412 when the key
    /// exists. Servers that ignore the header (s3rver 3.7.1) are covered by a HEAD first and a read-back of a
    /// per-call writer tag after: a loser that comes second is told so, but two writers within the same
    /// few milliseconds can both win there — use a server that honours conditional writes for locks.
    /// </summary>
    public async Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        if (await ExistsAsync(key, ct)) return false;
        var writer = Guid.NewGuid().ToString("N");
        using var body = new MemoryStream(content.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = FullKey(key),
            InputStream = body,
            AutoCloseStream = false,
            UseChunkEncoding = false,
            IfNoneMatch = "*",
        };
        request.Metadata.Add(WriterMetadata, writer);
        try
        {
            await Client.PutObjectAsync(request, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
        catch (AmazonS3Exception e)
        {
            throw Failure(key, "put", e);
        }
        var head = await HeadAsync(key, ct);
        return head?.Metadata[WriterMetadata] == writer;
    }

    public Task<VersionedObject?> GetVersionedAsync(string key, CancellationToken ct) => _direct.GetAsync(FullKey(key), ct);

    public Task<bool> PutIfAsync(string key, ReadOnlyMemory<byte> content, WritePrecondition precondition, CancellationToken ct) =>
        _direct.PutIfAsync(FullKey(key), content, precondition, ct);

    private const string WriterMetadata = "x-amz-meta-pipeline-writer";

    public Task<Stream?> GetAsync(string key, CancellationToken ct) => GetAsync(key, checkEtag: true, ct);

    public Task<Stream?> GetContentAsync(string key, CancellationToken ct) => GetAsync(key, checkEtag: false, ct);

    private async Task<Stream?> GetAsync(string key, bool checkEtag, CancellationToken ct)
    {
        try
        {
            var response = await Client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = FullKey(key) }, ct);
            return new ResponseStream(response, checkEtag, (etag, actual) =>
                new DamagedObjectException($"s3://{Bucket}/{FullKey(key)} at {Endpoint.ServiceUrl}", etag, actual)
            );
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { return null; }
        catch (AmazonS3Exception e) { throw Failure(key, "get", e); }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct) => await HeadAsync(key, ct) is not null;

    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken ct)
    {
        try { return await Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = FullKey(key) }, ct); }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { return null; }
        catch (AmazonS3Exception e) { throw Failure(key, "head", e); }
    }

    /// <summary>
    /// Lists flat by prefix, no delimiter (s3rver 3.7.1 omits folder-only prefixes with one), paging by marker
    /// with ListObjects v1 (s3rver 3.7.1 answers 500 to a v2 continuation token).
    /// </summary>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        string? marker = null;
        while (true)
        {
            var page = await _direct.ListAsync(FullKey(prefix), marker, ct);
            foreach (var o in page.Objects)
                yield return o with { Key = o.Key[_prefix.Length..] };
            if (!page.IsTruncated || page.Objects.Count == 0) yield break;
            marker = page.Objects[^1].Key;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct) => _direct.DeleteAsync(FullKey(key), ct);

    private async Task PutMultipartAsync(string key, Stream content, CancellationToken ct)
    {
        var fullKey = FullKey(key);
        var upload = await Client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = Bucket, Key = fullKey },
            ct
        );
        try
        {
            var parts = new List<PartETag>();
            using var gate = new SemaphoreSlim(PartsInParallel);
            var running = new List<Task>();
            for (var number = 1; ; number++)
            {
                await gate.WaitAsync(ct);
                var buffer = new byte[PartSize];
                var read = await content.ReadAtLeastAsync(buffer, PartSize, throwOnEndOfStream: false, ct);
                if (read == 0) { gate.Release(); break; }
                var partNumber = number;
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        using var body = new MemoryStream(buffer, 0, read, writable: false);
                        var response = await Client.UploadPartAsync(
                            new UploadPartRequest
                            {
                                BucketName = Bucket,
                                Key = fullKey,
                                UploadId = upload.UploadId,
                                PartNumber = partNumber,
                                PartSize = read,
                                InputStream = body,
                                UseChunkEncoding = false,
                                DisableDefaultChecksumValidation = true,
                            },
                            ct
                        );
                        lock (parts) parts.Add(new PartETag(partNumber, response.ETag));
                    }
                    finally { gate.Release(); }
                }, ct));
                if (read < PartSize) break;
            }
            await Task.WhenAll(running);
            await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = fullKey,
                UploadId = upload.UploadId,
                PartETags = [.. parts.OrderBy(p => p.PartNumber)],
            }, ct);
        }
        catch
        {
            try
            {
                await Client.AbortMultipartUploadAsync(
                    new AbortMultipartUploadRequest
                    {
                        BucketName = Bucket,
                        Key = fullKey,
                        UploadId = upload.UploadId,
                    },
                    CancellationToken.None
                );
            }
            catch (AmazonServiceException)
            { /* the upload expires by itself; the original error matters */
            }
            catch (HttpRequestException) { }
            throw;
        }
    }

    private async Task Call<T>(string key, Func<Task<T>> call)
    {
        try { await call(); }
        catch (AmazonS3Exception e) { throw Failure(key, "write", e); }
    }

    private PipelineException Failure(string key, string operation, AmazonS3Exception e) =>
        new(
            $"S3 {operation} of s3://{Bucket}/{FullKey(key)} at {Endpoint.ServiceUrl} failed: {(int)e.StatusCode} {e.ErrorCode}: "
            + $"{e.Message}"
        );

    public void Dispose()
    {
        if (_lazyClient.IsValueCreated) _lazyClient.Value.Dispose();
    }

    /// <summary>The object's body, checked against its ETag by <see cref="EtagCheckingStream"/> when asked (in place of the
    /// SDK's own MD5 stream, which names nothing); disposing it releases the HTTP response.</summary>
    private sealed class ResponseStream(GetObjectResponse response, bool checkEtag, Func<string, string, DamagedObjectException> damaged)
        : Stream
    {
        private readonly Stream _inner = new EtagCheckingStream(
            response.ResponseStream is Amazon.Runtime.Internal.Util.MD5Stream md5 ? md5.GetNonWrapperBaseStream() : response.ResponseStream,
            checkEtag ? response.ETag : null,
            encrypted: !string.IsNullOrEmpty(response.ServerSideEncryptionKeyManagementServiceKeyId)
                || (response.ServerSideEncryptionCustomerMethod is { } c && c != ServerSideEncryptionCustomerMethod.None),
            response.ContentLength,
            damaged
        );
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => _inner.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            _inner.ReadAsync(buffer, offset, count, ct);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) { _inner.Dispose(); response.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
