using System.Runtime.InteropServices;

namespace Pipeline.Server.Jobs;

/// <summary>SIGTERM to a job's build: it cancels the running target, runs the clean-up (assured) targets and exits 130.</summary>
public static partial class Signals
{
    private const int SigTerm = 15;

    public static bool Terminate(int pid) => pid > 0 && Kill(pid, SigTerm) == 0;

    /// <summary>Whether <paramref name="pid"/> is alive and is the build of job <paramref name="jobId"/>.</summary>
    public static bool IsJobProcess(int pid, string jobId)
    {
        try
        {
            var environ = File.ReadAllText($"/proc/{pid}/environ");
            return environ.Split('\0').Contains($"{JobCommand.JobIdVariable}={jobId}");
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
