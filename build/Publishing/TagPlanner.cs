using Pipeline.Tools.Registry;

namespace Pipeline.Publishing;

/// <summary>
/// The tags an image gets in a registry: <c>h&lt;hash12&gt;</c> (its input hash: the canonical tag that decides
/// whether it is already there), the version (<c>+</c> is not allowed in tags and becomes <c>_</c>), the short
/// commit, and a channel tag (<c>staging</c>) only when asked with --channel. Commit tags are left out of a
/// dirty tree: they would name a commit the image was not built from.
/// </summary>
public static class TagPlanner
{
    public static string HashTag(string inputHash)
    {
        if (inputHash.Length < 12 || !inputHash.All(Uri.IsHexDigit))
            throw new ArgumentException($"'{inputHash}' is not an input hash (hex, at least 12 characters).", nameof(inputHash));
        return "h" + inputHash[..12].ToLowerInvariant();
    }

    public static IReadOnlyList<string> Tags(string inputHash, SourceVersion version, string? channel)
    {
        var tags = new List<string> { HashTag(inputHash) };
        if (!version.Dirty)
        {
            tags.Add(ImageNames.SanitiseTag(version.SemVer));
            tags.Add(ImageNames.SanitiseTag(version.Commit));
        }
        if (!string.IsNullOrWhiteSpace(channel))
        {
            if (!ImageNames.IsTag(channel))
                throw new Engine.UsageException(
                    $"--channel: '{channel}' is not a valid tag (letters, digits, '_', '.', '-'; at most 128, not starting with '.' or "
                    + $"'-')."
                );
            tags.Add(channel);
        }
        return tags.Distinct(StringComparer.Ordinal).ToList();
    }
}
