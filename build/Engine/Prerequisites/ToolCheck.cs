namespace Pipeline.Engine;

/// <summary>Finds commands on PATH; a target whose tools are missing fails naming the install command.</summary>
public static class ToolCheck
{
    public static string? Which(string command)
    {
        if (command.Contains('/')) return File.Exists(command) ? command : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, command);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    public static IReadOnlyList<Tool> Missing(IEnumerable<Tool> tools) =>
        tools.DistinctBy(t => t.Command).Where(t => Which(t.Command) is null).ToList();

    internal static void ThrowIfMissing(ExecutableTarget target)
    {
        var missing = Missing(target.Tools);
        if (missing.Count == 0) return;
        throw new PipelineException(
            $"{target.Name} needs {string.Join(", ", missing.Select(t => t.Command))}, which is not installed. " +
            $"Run ./build.sh Prerequisites as root, or: {InstallCommands(missing)}");
    }

    public static string InstallCommands(IReadOnlyList<Tool> tools)
    {
        var commands = new List<string>();
        var apt = tools.Where(t => t.Source == ToolSource.Apt).Select(t => t.Package).Distinct().ToList();
        var npm = tools.Where(t => t.Source == ToolSource.Npm).Select(t => t.Package).Distinct().ToList();
        if (apt.Count > 0) commands.Add($"sudo apt-get install -y {string.Join(' ', apt)}");
        if (npm.Count > 0) commands.Add($"sudo npm install -g {string.Join(' ', npm)}");
        return string.Join(" && ", commands);
    }
}
