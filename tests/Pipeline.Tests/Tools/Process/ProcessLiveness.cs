namespace Pipeline.Tests;

/// <summary>Whether a process id still names a running process, for tests that check what a kill reached.</summary>
public static class ProcessLiveness
{
    /// <summary>
    /// True while the process exists and is not a zombie (on Linux a killed orphan may linger as a zombie until
    /// something reaps it; it runs no code, so it counts as dead).
    /// </summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            // "pid (comm) S ...": the state follows the last ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X' or 'x');
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Polls until the process is gone or <paramref name="within"/> has passed; returns whether it is gone.</summary>
    public static async Task<bool> WaitUntilDeadAsync(int pid, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Polls until <paramref name="path"/> exists and holds a pid, then returns it.</summary>
    public static async Task<int> ReadPidFileAsync(string path, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (File.Exists(path) && int.TryParse(await File.ReadAllTextAsync(path), out var pid))
                return pid;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No pid in {path} after {within}.");
            await Task.Delay(50);
        }
    }
}
