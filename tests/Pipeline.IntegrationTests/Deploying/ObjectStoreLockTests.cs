using FluentAssertions;
using Pipeline.Deploying.Locking;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>The cloud groups' deploy lock as an S3 object with a conditional write, against a real s3rver on 127.0.0.1:25620.</summary>
public sealed class ObjectStoreLockTests
{
    [Fact]
    public async Task A_second_deployer_is_refused_by_the_s3_lock_naming_the_holder()
    {
        var directory = Directory.CreateTempSubdirectory("test-deploy-s3lock-").FullName;
        var services = new LocalServiceManager(new AbsolutePath(Path.Combine(directory, "services")));
        await services.StartAsync(S3rver.Spec(Path.Combine(directory, "data"), 25620, ["test-deploy-locks"], "s3rver-25620"), CancellationToken.None);
        try
        {
            using var s3 = new S3ObjectStore(S3rver.Endpoint(25620), "test-deploy-locks");
            var store = new ObjectStoreLockStore(s3, "locks/test-s3.deploy.lock", "s3://test-deploy-locks");
            await using (var held = await DeployLock.AcquireAsync(store, "test-s3", "api=heartbeat@sha256:cd34", TimeSpan.FromMinutes(1), TimeSpan.Zero, CancellationToken.None))
            {
                var second = () => DeployLock.AcquireAsync(store, "test-s3", "api=heartbeat@sha256:ef56", TimeSpan.FromMinutes(1), TimeSpan.Zero, CancellationToken.None);
                (await second.Should().ThrowAsync<PipelineException>()).Which.Message.Should()
                    .Contain("test-s3 is locked: being deployed by").And.Contain($"(pid {Environment.ProcessId})").And.Contain("api=heartbeat@sha256:cd34");
                LockHolder.FromJson(await store.ReadAsync(CancellationToken.None))!.Nonce.Should().Be(held.Holder.Nonce, "other jobs read the holder from the object");
            }
            (await store.ReadAsync(CancellationToken.None)).Should().BeNull("the lock object is deleted when the deploy ends");
        }
        finally
        {
            await services.StopAllAsync(CancellationToken.None);
            Directory.Delete(directory, recursive: true);
        }
    }
}
