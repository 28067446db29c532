namespace Pipeline.Packaging.Repository;

/// <summary>Signs a Release: the clear-signed InRelease and the detached, armoured Release.gpg.</summary>
public interface IReleaseSigner
{
    Task<(byte[] InRelease, byte[] ReleaseGpg)> SignAsync(byte[] release, CancellationToken cancellationToken);
}
