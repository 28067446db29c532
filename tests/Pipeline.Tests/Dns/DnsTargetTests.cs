using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Graph;
using Xunit;

namespace Pipeline.Tests.Dns;

public sealed class DnsTargetTests
{
    private static readonly IReadOnlyList<ExecutableTarget> Targets = TargetGraph.Create(new Pipeline.Build()).Targets;

    [Fact]
    public void Deploy_triggers_Dns_so_the_records_follow_every_deploy()
    {
        Targets.Single(t => t.Name == "Deploy").Triggered.Select(t => t.Name).Should().Contain("Dns");
    }
}
