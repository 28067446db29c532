using System.Runtime.InteropServices;

namespace Pipeline.Engine.Services;

/// <summary>
/// A pid plus its start time (from <c>/proc/&lt;pid&gt;/stat</c>), so a recycled pid is never mistaken for a
/// process the build started.
/// </summary>
public sealed record ProcessIdentity(int Pid, long StartTicks)
{
    public static ProcessIdentity? Of(int pid)
    {
        var ticks = StartTicksOf(pid);
        return ticks is null ? null : new ProcessIdentity(pid, ticks.Value);
    }

    public bool IsAlive => StartTicksOf(Pid) == StartTicks && !IsZombie(Pid);

    /// <summary>Sends a signal to the process group the service leads (it was started with setsid).</summary>
    public void Signal(int signal)
    {
        if (kill(-Pid, signal) != 0) kill(Pid, signal);
    }

    public const int SIGTERM = 15, SIGKILL = 9;

    private static long? StartTicksOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19]); // field 22 of stat: starttime
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] == 'Z';
        }
        catch (IOException) { return true; }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
