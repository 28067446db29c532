using Pipeline.Engine;
using Pipeline.Tools.Process;
using System.Globalization;

namespace Pipeline.Tools.Ssh;

/// <summary>
/// A host reached through the run's pooled connection (<see cref="SshConnections"/>). Every remote command is a list
/// of words, each quoted for the remote shell; shell syntax is only ever a constant <c>sh -c</c> script whose values
/// come in as its positional parameters.
/// </summary>
public sealed class SshHost(SshTarget target, SshConnections connections)
{
    public SshTarget Target => target;
    public string Host => target.Endpoint.Host;

    /// <summary>Runs a command with <paramref name="standardInput"/> as its stdin (none: closed at once).</summary>
    public Task<SshResult> RunAsync(IReadOnlyList<string> words, CancellationToken ct, string? standardInput = null, bool check = true) =>
        RunAsync(
            words,
            standardInput is null
                ? null
                : (stdin, token) => stdin.WriteAsync(System.Text.Encoding.UTF8.GetBytes(standardInput), token).AsTask(),
            null,
            ct,
            check
        );

    /// <summary>Runs a command with streamed stdin and/or stdout (a tar into <c>docker load</c>, a tar out of <c>tar -c</c>).</summary>
    public async Task<SshResult> RunAsync(
        IReadOnlyList<string> words,
        Func<Stream, CancellationToken, Task>? writeInput,
        Func<Stream, CancellationToken, Task>? readOutput,
        CancellationToken ct,
        bool check = true
    )
    {
        var line = Line(words);
        var connection = await connections.GetAsync(target, ct);
        var result = await connection.RunAsync(line, writeInput, readOutput, ct);
        if (check && result.ExitCode != 0)
            throw new PipelineException(
                $"ssh {target}: '{line}' exited with {result.ExitCode.ToString(CultureInfo.InvariantCulture)}: "
                + $"{LastLine(result.StandardError)}"
            );
        return result;
    }

    /// <summary>The remote command line: each word quoted for a POSIX shell, never a string put together from values.</summary>
    public static string Line(IReadOnlyList<string> words) =>
        words.Count == 0
            ? throw new ArgumentException("a remote command needs at least one word", nameof(words))
            : string.Join(' ', words.Select(ShellQuoting.Quote));

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no message)";

    public override string ToString() => target.ToString();
}
