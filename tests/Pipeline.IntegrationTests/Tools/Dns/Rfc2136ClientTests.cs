using FluentAssertions;
using Pipeline.Engine;
using Pipeline.IntegrationTests.Dns;
using Pipeline.Tools.Dns;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.Dns;

/// <summary>The RFC 2136 client against a real BIND 9 (started by the test on a free loopback port with a TSIG key).</summary>
public sealed class Rfc2136ClientTests : IAsyncLifetime
{
    private const string Zone = "client.test";
    private BindServer _bind = null!;

    public async Task InitializeAsync() => _bind = await BindServer.StartAsync(Zone);

    [Fact]
    public async Task A_signed_update_replaces_a_record_set_and_dig_sees_it()
    {
        var client = new Rfc2136Client(_bind.Server, _bind.Key);

        await client.UpdateAsync(Zone, [DnsRecordSet.Of("web.client.test", DnsRecordType.A, 30, ["10.0.0.4", "10.0.0.5"])], default);
        await client.UpdateAsync(Zone, [DnsRecordSet.Of("web.client.test", DnsRecordType.A, 30, ["10.0.0.9"])], default);
        var marker = DnsRecordSet.Of("_pipeline.web.client.test", DnsRecordType.TXT, 30, ["heritage=pipeline"]);
        await client.UpdateAsync(Zone, [marker], default);

        (await _bind.DigAsync("web.client.test", "A")).Should().Equal("10.0.0.9");
        (await _bind.DigAsync("_pipeline.web.client.test", "TXT")).Should().Equal("\"heritage=pipeline\"");
        var read = await client.QueryAsync("web.client.test", DnsRecordType.A, default);
        read.Values.Should().Equal("10.0.0.9");
        read.Ttl.Should().Be(30);
    }

    [Fact]
    public async Task A_set_without_values_is_deleted_and_reads_as_empty()
    {
        var client = new Rfc2136Client(_bind.Server, _bind.Key);
        await client.UpdateAsync(Zone, [DnsRecordSet.Of("gone.client.test", DnsRecordType.A, 30, ["10.0.0.1"])], default);

        await client.UpdateAsync(Zone, [DnsRecordSet.Of("gone.client.test", DnsRecordType.A, 30, [])], default);

        (await client.QueryAsync("gone.client.test", DnsRecordType.A, default)).Values.Should().BeEmpty();
        (await _bind.DigAsync("gone.client.test", "A")).Should().BeEmpty();
    }

    [Fact]
    public async Task An_update_signed_with_the_wrong_key_is_refused_with_the_servers_code()
    {
        var wrong = _bind.Key with { Secret = Convert.ToBase64String(new byte[32]) };
        var client = new Rfc2136Client(_bind.Server, wrong);

        var act = () => client.UpdateAsync(Zone, [DnsRecordSet.Of("x.client.test", DnsRecordType.A, 30, ["10.0.0.1"])], default);

        (await act.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain($"refused the update of zone {Zone}");
        (await _bind.DigAsync("x.client.test", "A")).Should().BeEmpty();
    }

    [Fact]
    public async Task The_zones_name_servers_are_its_NS_records()
    {
        (await new Rfc2136Client(_bind.Server).NameServersAsync(Zone, default)).Should().Equal("ns1.client.test");
    }

    public async Task DisposeAsync() => await _bind.DisposeAsync();
}
