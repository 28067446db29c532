using Pipeline.Packaging.Definitions;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>The DEBIAN/control stanza, fields in dpkg-gencontrol's order.</summary>
public static class ControlFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Fields(PackageDefinition definition, string version, long installedSizeKiB)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Package", definition.Name),
            new("Version", version),
            new("Architecture", "amd64"),
            new("Maintainer", definition.Maintainer),
            new("Installed-Size", installedSizeKiB.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        var depends = Depends(definition);
        if (depends.Count > 0) fields.Add(new("Depends", string.Join(", ", depends)));
        fields.Add(new("Section", definition.Section));
        fields.Add(new("Priority", definition.Priority));
        if (definition.Homepage is not null) fields.Add(new("Homepage", definition.Homepage));
        fields.Add(new("Description", Description(definition.Summary, definition.Description)));
        return fields;
    }

    /// <summary>The definition's depends, plus adduser when the maintainer scripts create a system user.</summary>
    public static IReadOnlyList<string> Depends(PackageDefinition definition)
    {
        var depends = definition.Depends.ToList();
        if (definition.Service is not null && !depends.Any(d => d == "adduser" || d.StartsWith("adduser ", StringComparison.Ordinal)))
            depends.Insert(0, "adduser");
        return depends;
    }

    public static string Render(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in fields) text.Append(key).Append(": ").Append(value).Append('\n');
        return text.ToString();
    }

    /// <summary>Summary, then the long text re-wrapped at 72 columns, one space in front, " ." between paragraphs.</summary>
    public static string Description(string summary, string longText)
    {
        var paragraphs = longText.Replace("\r", "").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => string.Join(' ', p.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)))
            .Where(p => p.Length > 0);
        var lines = new List<string> { summary };
        foreach (var paragraph in paragraphs)
        {
            if (lines.Count > 1) lines.Add(" .");
            lines.AddRange(Wrap(paragraph, 72).Select(line => " " + line));
        }
        return string.Join('\n', lines);
    }

    private static IEnumerable<string> Wrap(string paragraph, int width)
    {
        var line = new StringBuilder();
        foreach (var word in paragraph.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
