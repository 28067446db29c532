namespace Pipeline.Engine;

/// <summary>
/// Replaces every registered secret value by <c>****</c>. The engine routes every line it prints or writes
/// (log, process output, exception messages, summary, plan page) through <see cref="Mask"/>.
/// </summary>
public sealed class SecretMasker
{
    public const string Placeholder = "****";
    private readonly object _gate = new();
    private string[] _secrets = [];

    /// <summary>Registers a value found at run time (a token read from a file, a generated password).</summary>
    public void Register(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 3) return;
        // Output is streamed line by line, so each substantial line of a multi-line secret (a PEM key) is a secret too.
        var parts = value.Contains('\n')
            ? value.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length >= MinimumLineLength).Prepend(value)
            : [value];
        lock (_gate)
        {
            var added = parts.Where(p => !_secrets.Contains(p)).ToList();
            if (added.Count == 0) return;
            // Longest first, so a secret containing another one is masked whole.
            _secrets = [.. _secrets.Concat(added).Distinct().OrderByDescending(s => s.Length)];
        }
    }

    /// <summary>Lines of a multi-line secret shorter than this (blank lines, a lone brace) are not masked on their own.</summary>
    private const int MinimumLineLength = 8;

    public int Count => _secrets.Length;

    public string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var secrets = _secrets;
        foreach (var secret in secrets)
            if (text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, Placeholder, StringComparison.Ordinal);
        return text;
    }
}
