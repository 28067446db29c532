using FluentAssertions;
using Pipeline.Tests.Packaging;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipeline.Tests.Tools;

/// <summary>Clients of the outside world live in build/Tools/&lt;Service&gt;; capabilities hold the flow that uses them.</summary>
public sealed partial class ToolsLayerTests
{
    private static readonly string Build = Path.Combine(RepositoryRoot.Path, "build");

    /// <summary>Sends HTTP requests it builds itself, yet is no client of an outside service: the cluster test's checks of the app under
    /// test.</summary>
    private static readonly string[] NotClients = ["build/Clustering/HttpProbe.cs"];

    private static IEnumerable<string> SourcesOutsideToolsAndEngine() =>
        Directory.EnumerateFiles(Build, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("build/Tools/", StringComparison.Ordinal) && !f.StartsWith("build/Engine/", StringComparison.Ordinal)
                && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal));

    [Fact]
    public void Every_client_or_api_type_is_declared_under_build_Tools()
    {
        SourcesOutsideToolsAndEngine()
            .Where(f => ClientType().IsMatch(File.ReadAllText(Path.Combine(RepositoryRoot.Path, f))))
            .Should().BeEmpty("a client of a service goes in build/Tools/<Service>/");
    }

    [Fact]
    public void No_capability_opens_a_socket_or_builds_an_HTTP_request_by_hand()
    {
        SourcesOutsideToolsAndEngine()
            .Except(NotClients)
            .Where(f =>
                File.ReadLines(Path.Combine(RepositoryRoot.Path, f))
                    .Any(l =>
                        l.Contains("new Socket(", StringComparison.Ordinal)
                        || l.Contains("new HttpRequestMessage(", StringComparison.Ordinal)
                    )
            )
            .Should()
            .BeEmpty("the wire protocol of a service belongs to its client in build/Tools/<Service>/");
    }

    [GeneratedRegex(@"\b(?:class|record|interface)\s+\w+(?:Client|Api)\b")]
    private static partial Regex ClientType();
}
