using Pipeline.Engine;

namespace Pipeline.Tools.Ssh;

/// <summary>A host presented a key its known_hosts file does not pin: refused, never added.</summary>
public sealed class HostKeyRefusedException(SshEndpoint endpoint, string keyType, string fingerprint, string reason, string knownHosts)
    : PipelineException(
        $"ssh {endpoint}: host key {keyType} SHA256:{fingerprint} {reason} {knownHosts}; refused and not added. "
            + $"Check that fingerprint out of band (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host), then pin the key there as "
                + $"'{endpoint.KnownHostsName} {keyType} …'."
    )
{
    public string Fingerprint => $"SHA256:{fingerprint}";
}
