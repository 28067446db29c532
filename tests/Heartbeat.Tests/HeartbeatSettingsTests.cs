using FluentAssertions;
using System.Collections;
using System.Net;
using Xunit;

namespace Heartbeat.Tests;

public class HeartbeatSettingsTests
{
    private static readonly IReadOnlyDictionary<string, string> NoFile = new Dictionary<string, string>();

    [Fact]
    public void Defaults_to_port_8080_on_all_addresses_with_auth_off()
    {
        var settings = HeartbeatSettings.Load(new Hashtable(), NoFile);

        settings.Port.Should().Be(8080);
        settings.Bind.Should().Be(IPAddress.Any);
        settings.AuthConfigured.Should().BeFalse();
        settings.Instance.Should().Be(Environment.MachineName);
        settings.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Environment_variables_win_over_the_environment_file()
    {
        var file = new Dictionary<string, string> { ["HEARTBEAT_PORT"] = "9000", ["HEARTBEAT_INSTANCE"] = "from-file" };
        var environment = new Hashtable { ["HEARTBEAT_PORT"] = "9001" };

        var settings = HeartbeatSettings.Load(environment, file);

        settings.Port.Should().Be(9001);
        settings.Instance.Should().Be("from-file");
    }

    [Fact]
    public void Version_can_be_overridden()
    {
        HeartbeatSettings.Load(new Hashtable { ["HEARTBEAT_VERSION"] = "9.9.9" }, NoFile).Version.Should().Be("9.9.9");
    }

    [Fact]
    public void Auth_is_configured_only_with_both_user_and_password()
    {
        HeartbeatSettings.Load(new Hashtable { ["HEARTBEAT_USER"] = "ops" }, NoFile).AuthConfigured.Should().BeFalse();
        HeartbeatSettings.Load(new Hashtable { ["HEARTBEAT_USER"] = "ops", ["HEARTBEAT_PASSWORD"] = "s3cret" }, NoFile)
            .AuthConfigured.Should().BeTrue();
    }

    [Theory]
    [InlineData("HEARTBEAT_PORT", "http", "HEARTBEAT_PORT: 'http' is not a port number")]
    [InlineData("HEARTBEAT_PORT", "70000", "HEARTBEAT_PORT: '70000' is not a port number")]
    [InlineData("HEARTBEAT_BIND", "localhost:1", "HEARTBEAT_BIND: 'localhost:1' is not an IP address")]
    [InlineData("HEARTBEAT_SHUTDOWN_TIMEOUT", "0", "HEARTBEAT_SHUTDOWN_TIMEOUT: '0' must be whole seconds")]
    public void Bad_values_fail_with_the_variable_named(string key, string value, string expected)
    {
        var load = () => HeartbeatSettings.Load(new Hashtable { [key] = value }, NoFile);

        load.Should().Throw<ConfigurationException>().Which.Message.Should().StartWith(expected);
    }
}
