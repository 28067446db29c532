using System.Buffers;

namespace Pipeline.Engine;

/// <summary>
/// Replaces every registered secret value, and each of its derived forms (<see cref="SecretForms"/>: URL-encoded,
/// JSON-escaped, HTML-encoded, base64), by <c>****</c>. The engine routes every line it prints (log, process output,
/// exception messages, summary) through <see cref="Mask"/>, and every file it writes through <see cref="MaskedFile"/>.
/// </summary>
public sealed class SecretMasker
{
    public const string Placeholder = "****";
    private readonly object _gate = new();
    private readonly List<string> _values = [];
    private readonly HashSet<string> _forms = new(StringComparer.Ordinal);
    /// <summary>Null after a registration: rebuilt once by the next <see cref="Mask"/>, so registering many values at start-up stays
    /// linear.</summary>
    private volatile Patterns? _patterns;

    /// <summary>The forms longest first, and all of them at once (most lines hold none, answered by one scan); swapped whole.</summary>
    private sealed record Patterns(string[] Forms, SearchValues<string> Any);

    /// <summary>Registers a value found at run time (a token read from a file, a generated password).</summary>
    public void Register(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 3) return;
        // Output is streamed line by line, so each substantial line of a multi-line secret (a PEM key) is a secret too.
        var lines = value.Contains('\n')
            ? value.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length >= MinimumLineLength).ToList()
            : [];
        lock (_gate)
        {
            if (_values.Contains(value)) return;
            _values.Add(value);
            _forms.UnionWith(SecretForms.Of(value).Concat(lines.SelectMany(SecretForms.Of)));
            _patterns = null;
        }
    }

    private Patterns CurrentPatterns()
    {
        if (_patterns is { } current) return current;
        lock (_gate)
        {
            // Longest first, so a secret containing another one (or a form containing another) is masked whole.
            string[] all = [.. _forms.OrderByDescending(s => s.Length)];
            return _patterns ??= new Patterns(all, SearchValues.Create(all, StringComparison.Ordinal));
        }
    }

    /// <summary>Lines of a multi-line secret shorter than this (blank lines, a lone brace) are not masked on their own.</summary>
    private const int MinimumLineLength = 8;

    /// <summary>How many values were registered (each masked with its derived forms).</summary>
    public int Count { get { lock (_gate) return _values.Count; } }

    public string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var patterns = CurrentPatterns();
        if (text.AsSpan().IndexOfAny(patterns.Any) < 0) return text;
        foreach (var form in patterns.Forms)
            if (text.Contains(form, StringComparison.Ordinal))
                text = text.Replace(form, Placeholder, StringComparison.Ordinal);
        return text;
    }
}
