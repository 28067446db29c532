namespace Pipeline.Tools.Process;

/// <summary>Entry point for building a <see cref="Command"/>: <c>Cli.Wrap("git").WithArguments("log", "-1")</c>.</summary>
public static class Cli
{
    /// <summary>
    /// Starts a command for <paramref name="targetFile"/>: an executable name looked up on PATH, or a path to one.
    /// </summary>
    public static Command Wrap(string targetFile) => new(targetFile);
}
