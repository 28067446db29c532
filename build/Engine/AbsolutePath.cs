namespace Pipeline.Engine;

/// <summary>An absolute, normalised file-system path. <c>root / "artifacts" / "x.json"</c> composes.</summary>
public sealed record AbsolutePath
{
    public AbsolutePath(string path)
    {
        if (!Path.IsPathRooted(path))
            throw new ArgumentException($"'{path}' is not an absolute path", nameof(path));
        Value = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Value.Length == 0) Value = "/";
    }

    public string Value { get; }
    public string Name => Path.GetFileName(Value);
    public AbsolutePath Parent => new(Path.GetDirectoryName(Value) ?? Value);
    public bool Exists => File.Exists(Value) || Directory.Exists(Value);

    public static AbsolutePath operator /(AbsolutePath left, string right) => new(Path.Combine(left.Value, right));
    public static implicit operator string(AbsolutePath path) => path.Value;

    /// <summary>Parses a path relative to <paramref name="baseDirectory"/> unless it is already absolute.</summary>
    public static AbsolutePath Parse(string path, string baseDirectory) =>
        new(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));

    public string RelativeTo(AbsolutePath other) => Path.GetRelativePath(other.Value, Value);
    public AbsolutePath CreateDirectory() { Directory.CreateDirectory(Value); return this; }
    public override string ToString() => Value;
}
