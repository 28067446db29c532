using System.Diagnostics;

namespace Dummy;

/// <summary>Starts another dummy that sleeps, so tests can check that killing a tree reaches grandchildren.</summary>
internal static class ChildSpawner
{
    public static void SpawnAndSleep(string pidFile)
    {
        var startInfo = SelfStartInfo();
        startInfo.ArgumentList.Add("sleep");
        startInfo.ArgumentList.Add("60000");
        startInfo.UseShellExecute = false;

        using var child = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the child");
        var temporary = pidFile + ".tmp";
        File.WriteAllText(temporary, child.Id.ToString());
        File.Move(temporary, pidFile, overwrite: true);
        Console.Out.WriteLine($"spawned {child.Id}");
        Console.Out.Flush();
        Thread.Sleep(60000);
    }

    /// <summary>How to start this same program again: its apphost, or the dotnet host with dummy.dll.</summary>
    private static ProcessStartInfo SelfStartInfo()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        if (!Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return new ProcessStartInfo(processPath);

        var startInfo = new ProcessStartInfo(processPath);
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dummy.dll"));
        return startInfo;
    }
}
