namespace Pipeline.Tools.Registry;

/// <summary>Token scopes of the distribution token spec: <c>repository:&lt;name&gt;:pull,push</c>.</summary>
public static class RegistryScopes
{
    public static string Pull(string repository) => $"repository:{repository}:pull";
    public static string Push(string repository) => $"repository:{repository}:pull,push";
}
