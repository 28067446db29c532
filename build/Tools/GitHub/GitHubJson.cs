using Octokit.Internal;
using Pipeline.Engine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Tools.GitHub;

/// <summary>
/// Octokit's JSON for Pipeline's calls: request bodies as Octokit writes them (its SimpleJson, from its request models),
/// answers read with source-generated System.Text.Json into the few fields Pipeline uses. Octokit's own reader maps
/// answers onto its models by reflection, which the native build does not keep working (measured: a created deployment
/// read back as a NullReferenceException), so Pipeline asks for its own answer types instead.
/// </summary>
internal sealed class GitHubJson : IJsonSerializer
{
    public string Serialize(object item) => GitHubRequests.Wire(item);

    public T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, GitHubAnswerJson.Default.Options.TypeInfo<T>())
        ?? throw new JsonException($"GitHub answered null where a {typeof(T).Name} was expected.");
}

/// <summary>What Pipeline reads of an object GitHub created (a deployment, a deployment status, a commit status).</summary>
public sealed record GitHubCreated(long Id);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GitHubCreated))]
internal sealed partial class GitHubAnswerJson : JsonSerializerContext;
