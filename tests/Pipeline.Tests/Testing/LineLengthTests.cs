using FluentAssertions;
using Pipeline.Tests.Packaging;
using Xunit;

namespace Pipeline.Tests.Testing;

/// <summary>
/// Code lines stay within .editorconfig's max_line_length (140), which dotnet format does not check. Only string data may
/// run longer: the content of a multi-line raw string literal, or a line that is a single literal (a URL, a signed request,
/// an XML answer), where a break would change the bytes a test compares.
/// </summary>
public sealed class LineLengthTests
{
    public const int Limit = 140;

    [Fact]
    public void No_code_line_is_longer_than_the_editorconfig_limit()
    {
        var root = RepositoryRoot.Path;
        var tooLong = new[] { "build", "tests", "apps", "server" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LongCodeLines(File.ReadAllLines(f)).Select(n => $"{Path.GetRelativePath(root, f)}:{n}"))
            .ToList();

        tooLong.Should().BeEmpty($"lines over {Limit} characters are wrapped (see .editorconfig)");
    }

    [Fact]
    public void String_data_may_run_long_but_code_may_not()
    {
        var data = new string('x', 150);
        string[] lines =
        [
            $"        var s = Call(\"{data}\");",
            "        var raw = \"\"\"",
            data,
            "            \"\"\";",
            $"            + $\"{data}\"",
            $"            ? \"\"\"{data}\"\"\"",
        ];

        LongCodeLines(lines).Should().Equal(1);
    }

    /// <summary>1-based numbers of the lines over the limit that are not string data.</summary>
    public static IEnumerable<int> LongCodeLines(IReadOnlyList<string> lines)
    {
        var inRaw = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var wasInRaw = inRaw;
            if (Count(line, "\"\"\"") % 2 == 1) inRaw = !inRaw;
            if (line.Length <= Limit || wasInRaw || StartsWithLiteral(line.TrimStart())) continue;
            yield return i + 1;
        }
    }

    private static bool StartsWithLiteral(string line)
    {
        if (line.Length > 2 && line[1] == ' ' && line[0] is '+' or '?' or ':') line = line[2..];
        var body = line.TrimStart('$', '@');
        return body.StartsWith('"');
    }

    private static int Count(string line, string what)
    {
        var n = 0;
        var at = line.IndexOf(what, StringComparison.Ordinal);
        while (at >= 0)
        {
            n++;
            at = line.IndexOf(what, at + what.Length, StringComparison.Ordinal);
        }
        return n;
    }
}
