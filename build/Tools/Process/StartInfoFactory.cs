using System.Diagnostics;
using System.Text;

namespace Pipeline.Tools.Process;

/// <summary>Turns a <see cref="Command"/> into a <see cref="ProcessStartInfo"/>: argv list, no shell, all three streams piped.</summary>
internal static class StartInfoFactory
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static ProcessStartInfo Create(Command command, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = command.TargetFile,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };

        if (!command.Arguments.IsDefault)
        {
            foreach (var argument in command.Arguments)
                startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            if (value is null)
                startInfo.Environment.Remove(name);
            else
                startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    /// <summary>The absolute working directory the process will get.</summary>
    public static string ResolveWorkingDirectory(Command command) =>
        command.WorkingDirectory is { Length: > 0 } directory
            ? Path.GetFullPath(directory)
            : Environment.CurrentDirectory;
}
