using FluentAssertions;
using System.Collections;
using System.Text;
using Xunit;

namespace Heartbeat.Tests;

public class BasicAuthFilterTests
{
    private static BasicAuthFilter Filter(string? user, string? password)
    {
        var environment = new Hashtable();
        if (user is not null) environment["HEARTBEAT_USER"] = user;
        if (password is not null) environment["HEARTBEAT_PASSWORD"] = password;
        return new BasicAuthFilter(HeartbeatSettings.Load(environment, new Dictionary<string, string>()));
    }

    private static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

    [Fact]
    public void Lets_in_the_configured_user() => Filter("ops", "pa:ss").IsAuthorized(Basic("ops:pa:ss")).Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("Bearer token")]
    [InlineData("Basic !!!not-base64")]
    public void Refuses_missing_or_malformed_headers(string header) => Filter("ops", "pass").IsAuthorized(header).Should().BeFalse();

    [Theory]
    [InlineData("ops:wrong")]
    [InlineData("other:pass")]
    [InlineData("opspass")]
    public void Refuses_wrong_credentials(string credentials) => Filter("ops", "pass").IsAuthorized(Basic(credentials)).Should().BeFalse();

    [Fact]
    public void Refuses_everyone_when_no_credentials_are_configured() =>
        Filter(null, null).IsAuthorized(Basic(":")).Should().BeFalse();
}
