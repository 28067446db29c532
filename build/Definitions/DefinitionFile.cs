using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Definitions;

/// <summary>Loads a YAML definition file into a <see cref="DefinitionNode"/>; syntax errors carry line and column.</summary>
public static class DefinitionFile
{
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">How errors name it, usually relative to the repository root.</param>
    /// <param name="variables">Values for <c>${VAR}</c>; null means the process environment.</param>
    public static DefinitionNode Load(string path, string displayName, Func<string, string?>? variables = null)
    {
        if (!File.Exists(path)) throw new DefinitionException(displayName, "", "file not found");
        return Parse(File.ReadAllText(path), displayName, variables);
    }

    public static DefinitionNode Parse(string yaml, string displayName, Func<string, string?>? variables = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new DefinitionException(displayName, "", $"not valid YAML: {e.InnerException?.Message ?? e.Message}", (int)e.Start.Line, (int)e.Start.Column);
        }
        if (stream.Documents.Count == 0) throw new DefinitionException(displayName, "", "the file is empty");
        return new DefinitionNode(displayName, "", stream.Documents[0].RootNode, variables ?? Environment.GetEnvironmentVariable);
    }
}
