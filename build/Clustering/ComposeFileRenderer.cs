using Pipeline.Baking;
using Pipeline.Engine;
using System.Text.RegularExpressions;

namespace Pipeline.Clustering;

/// <summary>
/// Renders <c>compose.template.yml</c>: <c>${IMAGE_&lt;name&gt;}</c> becomes the content-addressed tag of
/// artifacts/images.json, <c>${PORT_&lt;name&gt;}</c> a port the caller allocates, <c>${CLUSTER_*}</c> the run's values.
/// Everything is substituted here, so both compose flavours read the same file; only a value given as its own
/// <c>${NAME}</c> (the run's password) is left for compose to interpolate from its environment.
/// </summary>
public static partial class ComposeFileRenderer
{
    /// <summary>The <c>${PORT_…}</c> names the template uses, in order of appearance.</summary>
    public static IReadOnlyList<string> PortNames(string template) =>
        [.. Placeholder().Matches(template).Where(m => m.Groups[1].Value == "PORT_").Select(m => m.Groups[2].Value).Distinct()];

    public static string Render(
        string template,
        ImagesManifest images,
        IReadOnlyDictionary<string, int> ports,
        IReadOnlyDictionary<string, string> values,
        string displayName
    ) =>
        Placeholder().Replace(template, m =>
        {
            var (kind, name) = (m.Groups[1].Value, m.Groups[2].Value);
            return kind switch
            {
                "IMAGE_" => images.Images.FirstOrDefault(i => i.Name == name)?.HashTag
                    ?? throw new PipelineException(
                        $"{displayName}: ${{IMAGE_{name}}}: artifacts/images.json has no image '{name}' (it has "
                        + $"{string.Join(", ", images.Images.Select(i => i.Name))}; run ./build.sh Images)"
                    ),
                "PORT_" => ports.TryGetValue(name, out var port)
                    ? port.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : throw new PipelineException($"{displayName}: ${{PORT_{name}}} has no port allocated"),
                _ => values.TryGetValue($"CLUSTER_{name}", out var value)
                    ? value
                    : throw new PipelineException(
                        $"{displayName}: ${{CLUSTER_{name}}} is not a value of the run (known: {string.Join(", ", values.Keys)})"
                    ),
            };
        });

    /// <summary>The 127.0.0.1 port a rendered compose file publishes a service's container port on (<c>host:port:container</c>),
    /// known before <c>up</c>.</summary>
    public static int PublishedPort(string composeFile, ServiceEndpoint endpoint, string displayName)
    {
        var service = Definitions.DefinitionFile.Load(composeFile, displayName).Required("services").Optional(endpoint.Service)
            ?? throw new PipelineException($"{displayName} has no service '{endpoint.Service}'");
        foreach (var port in service.Optional("ports")?.Items() ?? [])
            if (port.String().Split(':') is [_, var host, var inside]
                && inside == endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && int.TryParse(host, System.Globalization.CultureInfo.InvariantCulture, out var published))
                return published;
        throw new PipelineException(
            $"{displayName}: {endpoint.Service} does not publish port {endpoint.Port} "
            + $"(add \"127.0.0.1:${{PORT_{endpoint.Service}}}:{endpoint.Port}\" to its ports:)");
    }

    [GeneratedRegex(@"\$\{(IMAGE_|PORT_|CLUSTER_)([A-Za-z0-9_.-]+)\}")]
    private static partial Regex Placeholder();
}
