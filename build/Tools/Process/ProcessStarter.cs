using System.ComponentModel;

namespace Pipeline.Tools.Process;

/// <summary>Starts a process, turning every way that can fail into a <see cref="CommandException"/> that says why.</summary>
internal static class ProcessStarter
{
    private const int NoSuchFile = 2;          // ENOENT (and ERROR_FILE_NOT_FOUND on Windows)
    private const int PermissionDenied = 13;   // EACCES
    private const int PathNotFound = 3;        // ERROR_PATH_NOT_FOUND on Windows

    public static void Start(System.Diagnostics.Process process, Command command, string workingDirectory)
    {
        if (!Directory.Exists(workingDirectory))
            throw NotStarted(command, workingDirectory, $"the working directory '{workingDirectory}' does not exist.", null);

        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw NotStarted(command, workingDirectory, Explain(command.TargetFile, exception), exception);
        }
    }

    private static string Explain(string targetFile, Win32Exception exception)
    {
        var isPath = targetFile.Contains('/') || targetFile.Contains(Path.DirectorySeparatorChar);
        return exception.NativeErrorCode switch
        {
            NoSuchFile or PathNotFound when isPath => $"'{targetFile}' does not exist.",
            NoSuchFile or PathNotFound => $"'{targetFile}' was not found on PATH.",
            PermissionDenied => $"'{targetFile}' is not executable (permission denied).",
            _ => $"'{targetFile}' could not be started: {exception.Message}",
        };
    }

    private static CommandException NotStarted(Command command, string workingDirectory, string reason, Exception? inner) =>
        new(command, exitCode: null, standardErrorTail: "",
            $"Command could not be started: {reason}" + Environment.NewLine +
            $"  Command: {command}" + Environment.NewLine +
            $"  Working directory: {workingDirectory}",
            inner);
}
