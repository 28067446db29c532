using System.Runtime.InteropServices;

namespace Pipeline.Engine.Services;

/// <summary>
/// Descriptors the build inherited from whoever started it (cron's <c>flock</c>, a CI runner's pipe) are not handed on to
/// a local service. A service outlives the build, so it would hold them until Down: a nightly job run under
/// <c>flock -n /var/lock/pipeline ./build.sh …</c> would find its own lock taken the next night.
/// </summary>
internal static class InheritedDescriptors
{
    private const int SetDescriptorFlags = 2; // F_SETFD
    private const int CloseOnExecFlag = 1; // FD_CLOEXEC

    /// <summary>Marks every descriptor above standard error close-on-exec; .NET's own are already.</summary>
    public static void CloseOnExec()
    {
        if (!OperatingSystem.IsLinux()) return;
        foreach (var entry in Directory.GetFileSystemEntries("/proc/self/fd"))
            if (int.TryParse(Path.GetFileName(entry), out var fd) && fd > 2)
                _ = fcntl(fd, SetDescriptorFlags, CloseOnExecFlag);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);
}
