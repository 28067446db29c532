using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FluentAssertions;
using Pipeline.Tools.S3;
using System.Net;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// What s3rver 3.7.1 does with S3's conditional-write headers, observed with the AWS SDK (not our own client): it
/// ignores them. Every one of eight concurrent <c>If-None-Match: *</c> PUTs of one new key is answered 200, and so is a
/// PUT whose <c>If-Match</c> names an ETag the object no longer has; the last write wins. (Real S3 answers 412.)
/// This is why the deploy lock does not rest on them (see ClaimTurns). Should a later s3rver honour them, this fails.
/// </summary>
[Collection(LockS3rverCollection.Name)]
public sealed class S3rverConditionalWriteTests(LockS3rver s3)
{
    private static AmazonS3Client Sdk() =>
        new(
            new BasicAWSCredentials(S3Endpoint.S3rverDefaultKey, S3Endpoint.S3rverDefaultKey),
            new AmazonS3Config
            {
                ServiceURL = $"http://127.0.0.1:{LockS3rver.Port}",
                AuthenticationRegion = "us-east-1",
                ForcePathStyle = true,
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
                MaxErrorRetry = 0,
            }
        );

    [Fact]
    public async Task S3rver_answers_200_to_every_one_of_eight_racing_if_none_match_puts_of_one_key()
    {
        using var sdk = Sdk();
        var key = $"conditional/{Guid.NewGuid():N}";

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                return (
                    await sdk.PutObjectAsync(
                        new PutObjectRequest
                        {
                            BucketName = LockS3rver.Bucket,
                            Key = key,
                            ContentBody = $"racer {i}",
                            IfNoneMatch = "*",
                            UseChunkEncoding = false,
                        }
                    )
                ).HttpStatusCode;
            }
            catch (AmazonS3Exception e)
            {
                return e.StatusCode;
            }
        })));

        answers.Should().AllBeEquivalentTo(HttpStatusCode.OK, "s3rver ignores If-None-Match on PUT: all eight 'created' the key");
        var again = await sdk.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = LockS3rver.Bucket,
                Key = key,
                ContentBody = "late",
                IfNoneMatch = "*",
                UseChunkEncoding = false,
            }
        );
        again.HttpStatusCode.Should().Be(HttpStatusCode.OK, "even a PUT long after the key exists is not refused");
        using var read = await sdk.GetObjectAsync(LockS3rver.Bucket, key);
        (await new StreamReader(read.ResponseStream).ReadToEndAsync()).Should().Be("late", "the last write replaced the object");
    }

    [Fact]
    public async Task S3rver_overwrites_an_object_whose_etag_no_longer_matches_if_match()
    {
        using var sdk = Sdk();
        var key = $"conditional/{Guid.NewGuid():N}";
        var first = await sdk.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = LockS3rver.Bucket,
                Key = key,
                ContentBody = "first",
                UseChunkEncoding = false,
            }
        );
        await sdk.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = LockS3rver.Bucket,
                Key = key,
                ContentBody = "second",
                UseChunkEncoding = false,
            }
        );

        var stale = await sdk.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = LockS3rver.Bucket,
                Key = key,
                ContentBody = "third",
                IfMatch = first.ETag,
                UseChunkEncoding = false,
            }
        );

        stale
            .HttpStatusCode.Should()
            .Be(HttpStatusCode.OK, $"s3rver ignores If-Match {first.ETag} on PUT though the object's ETag changed");
        using var read = await sdk.GetObjectAsync(LockS3rver.Bucket, key);
        (await new StreamReader(read.ResponseStream).ReadToEndAsync()).Should().Be("third");
        using var store = s3.Store();
        (await store.PutIfAsync(key, "fourth"u8.ToArray(), WritePrecondition.Matching(first.ETag), default))
            .Should()
            .BeTrue("our conditional PUT is not refused either");
        (await store.PutIfAsync(key, "fifth"u8.ToArray(), WritePrecondition.Absent, default)).Should().BeTrue();
    }
}
