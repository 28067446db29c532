namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// The files a step writes to talk to the runner, <c>$GITHUB_ENV</c> and <c>$GITHUB_OUTPUT</c>, in GitHub's two forms:
/// <c>NAME=value</c> lines and <c>NAME&lt;&lt;DELIMITER</c> … <c>DELIMITER</c> blocks for values over several lines.
/// </summary>
public static class CommandFiles
{
    public static IEnumerable<(string Name, string Value)> Read(string path)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=');
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                while (++i < lines.Length && lines[i] != delimiter) value.Add(lines[i]);
                if (i == lines.Length) throw new InvalidDataException($"{path}: no closing {delimiter} for {line[..heredoc]}");
                yield return (line[..heredoc], string.Join('\n', value));
            }
            else if (equals > 0) yield return (line[..equals], line[(equals + 1)..]);
            else throw new InvalidDataException($"{path}: line '{line}' is neither NAME=value nor NAME<<DELIMITER");
        }
    }
}
