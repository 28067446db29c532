using Pipeline.Engine;

namespace Pipeline.Deploying.Locking;

/// <summary>
/// The deploy lock is no longer this deploy's (taken over, or removed with Unlock --force): the deploy stops before
/// its next batch and touches nothing more, not even a rollback, since another deploy now owns the environment.
/// </summary>
public sealed class DeployLockLostException(string message) : PipelineException(message);
