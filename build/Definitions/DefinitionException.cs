using Pipeline.Engine;

namespace Pipeline.Definitions;

/// <summary>
/// Bad input in a definition file, one line: <c>environments/staging.yml: groups/web/rolling/batch: must be at
/// least 1 (line 12, column 14)</c>. A usage error: exit code 2, raised before anything runs.
/// </summary>
public sealed class DefinitionException(string file, string keyPath, string message, int line = 0, int column = 0)
    : UsageException(line > 0
        ? $"{file}: {(keyPath.Length == 0 ? "(top level)" : keyPath)}: {message} (line {line}, column {column})"
        : $"{file}: {(keyPath.Length == 0 ? "(top level)" : keyPath)}: {message}")
{
    public string File { get; } = file;
    public string KeyPath { get; } = keyPath;
    public int Line { get; } = line;
    public int Column { get; } = column;
}
