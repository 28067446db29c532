using System.Text.RegularExpressions;

namespace Pipeline.Tools.Registry;

/// <summary>The grammar of repository names, tags and digests (distribution's reference grammar).</summary>
public static partial class ImageNames
{
    public static bool IsRepository(string name) => name.Length is > 0 and <= 255 && Repository().IsMatch(name);
    public static bool IsTag(string tag) => Tag().IsMatch(tag);
    public static bool IsDigest(string reference) => Digest().IsMatch(reference);

    /// <summary>Turns free text into a valid tag: characters outside <c>[A-Za-z0-9_.-]</c> become <c>_</c>, at most 128.</summary>
    public static string SanitiseTag(string text)
    {
        var tag = InvalidTagCharacter().Replace(text, "_");
        if (tag.Length == 0) return "_";
        if (tag[0] is '.' or '-') tag = "_" + tag[1..];
        return tag.Length > 128 ? tag[..128] : tag;
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex Repository();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}$")]
    private static partial Regex Digest();

    [GeneratedRegex(@"[^A-Za-z0-9_.-]")]
    private static partial Regex InvalidTagCharacter();
}
