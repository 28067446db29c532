namespace Pipeline.Definitions;

/// <summary>
/// Declares a top-level section of <c>environments/&lt;name&gt;.yml</c> and the capability that reads it. Each
/// capability declares its own, next to its loader (<c>[assembly: EnvironmentSection("groups", "Deploy")]</c>);
/// <see cref="EnvironmentFile"/> refuses any other top-level key, so a typo such as <c>locks:</c> is an error
/// instead of a section silently falling back to its defaults.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class EnvironmentSectionAttribute(string key, string capability) : Attribute
{
    public string Key { get; } = key;
    /// <summary>Who reads it, for the reader of the error and of the code (e.g. "Deploy", "Backup").</summary>
    public string Capability { get; } = capability;
}
