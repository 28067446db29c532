using Pipeline.Packaging.Definitions;
using System.Globalization;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>A short section-1 manual page for the executable, from the definition's summary, description and files.</summary>
public static class ManualPage
{
    public static string PathOf(string name) => $"/usr/share/man/man1/{name}.1.gz";

    public static string Render(PackageDefinition definition, string version, SourceRevision revision)
    {
        var date = revision.CommitTime.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .Append(
                $".TH {Escape(definition.Name.ToUpperInvariant())} 1 \"{date}\" \"{Escape(definition.Name)} {Escape(version)}\" "
                + $"\"Pipeline\"\n"
            )
            .Append(".SH NAME\n")
            .Append($"{Escape(definition.Name)} \\- {Escape(definition.Summary)}\n")
            .Append(".SH SYNOPSIS\n")
            .Append($".B {Escape(definition.Name)}\n")
            .Append(".SH DESCRIPTION\n");
        foreach (var paragraph in definition.Description.Replace("\r", "").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            text.Append(".PP\n")
                .Append(Escape(string.Join(' ', paragraph.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))))
                .Append('\n');
        if (definition.ConfigFiles.Count > 0 || definition.Service is not null)
        {
            text.Append(".SH FILES\n");
            foreach (var file in definition.ConfigFiles)
                text.Append(".TP\n").Append($".I {Escape(file.Path)}\n").Append("Configuration, kept across upgrades.\n");
            if (definition.Service is not null)
                text.Append(".TP\n").Append($".I {Escape(SystemdUnit.PathOf(definition.Name))}\n")
                    .Append($"The systemd service; it runs as the system user {Escape(definition.Service.User)}.\n");
        }
        return text.ToString();
    }

    /// <summary>Backslashes and hyphens escaped; a line never starts with a control character.</summary>
    private static string Escape(string text)
    {
        var escaped = text.Replace("\\", "\\e").Replace("-", "\\-");
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }
}
