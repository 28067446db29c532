using Pipeline.Engine;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Packaging.Execution;

/// <summary>One SHA-256 over the inputs of a package: each file's path and content hash, and the values that shape the output.</summary>
public static class InputsHash
{
    /// <summary>Bump when what the builders produce changes in a way their source files do not show.</summary>
    public const string Format = "pipeline-packages/1";

    /// <param name="root">The folder <paramref name="relativeFiles"/> are relative to (the repository root).</param>
    public static string Compute(AbsolutePath root, IEnumerable<string> relativeFiles, IEnumerable<string> values)
    {
        var text = new StringBuilder(Format).Append('\n');
        foreach (var value in values) text.Append("value ").Append(value).Append('\n');
        foreach (var file in relativeFiles.Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(root / file);
            text.Append("file ").Append(file).Append(' ').Append(Convert.ToHexStringLower(SHA256.HashData(stream))).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
