using System.ComponentModel;

namespace Pipeline.Tools.Process;

/// <summary>Says in words why a process could not be started, from the error the operating system gave.</summary>
internal static class StartFailure
{
    private const int NoSuchFile = 2;          // ENOENT (and ERROR_FILE_NOT_FOUND on Windows)
    private const int PermissionDenied = 13;   // EACCES
    private const int PathNotFound = 3;        // ERROR_PATH_NOT_FOUND on Windows

    /// <summary>
    /// The reason for <paramref name="exception"/>; CliWrap wraps the operating system's error in a second
    /// <see cref="Win32Exception"/>, whose inner one holds the error code.
    /// </summary>
    public static string Explain(string targetFile, Win32Exception exception)
    {
        var error = exception.InnerException as Win32Exception ?? exception;
        var isPath = targetFile.Contains('/') || targetFile.Contains(Path.DirectorySeparatorChar);
        return error.NativeErrorCode switch
        {
            NoSuchFile or PathNotFound when isPath => $"'{targetFile}' does not exist.",
            NoSuchFile or PathNotFound => $"'{targetFile}' was not found on PATH.",
            PermissionDenied => $"'{targetFile}' is not executable (permission denied).",
            _ => $"'{targetFile}' could not be started: {error.Message}",
        };
    }
}
