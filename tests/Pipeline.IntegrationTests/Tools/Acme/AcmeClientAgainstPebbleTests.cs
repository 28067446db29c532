using FluentAssertions;
using Pipeline.Acme;
using Pipeline.IntegrationTests.Acme;
using Pipeline.Tools.Acme;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.Acme;

[Collection(PebbleCollection.Name)]
public sealed class AcmeClientAgainstPebbleTests(PebbleFixture pebble)
{
    [Fact]
    public async Task A_badNonce_answer_is_retried_with_the_fresh_nonce_it_carries()
    {
        using var http = pebble.Http();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var client = new AcmeClient(http, PebbleFixture.Ports.DirectoryUrl, key);
        client.AddNonce("c3RhbGUtbm9uY2U");

        var account = await client.AccountAsync(["mailto:nonce@example.com"], null, CancellationToken.None);

        account.Should().StartWith($"https://127.0.0.1:{PebbleFixture.Ports.Directory}/");
        client.BadNoncesRetried.Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task The_directory_is_read_from_the_CA_and_the_same_key_finds_the_same_account()
    {
        using var http = pebble.Http();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var first = await new AcmeClient(http, PebbleFixture.Ports.DirectoryUrl, key).AccountAsync([], null, CancellationToken.None);
        var again = new AcmeClient(http, PebbleFixture.Ports.DirectoryUrl, key);
        (await again.DirectoryAsync(CancellationToken.None)).NewOrder.AbsolutePath.Should().NotBeEmpty();
        (await again.AccountAsync([], null, CancellationToken.None)).Should().Be(first);
    }
}

[Collection(PebbleCollection.Name)]
public sealed class ExternalAccountBindingAgainstPebbleTests(PebbleFixture pebble)
{
    [Fact]
    public async Task A_CA_that_requires_external_account_binding_accepts_the_account_only_with_the_MAC_key()
    {
        var ports = PebbleFixture.Ports with { Directory = 22120, Management = 22121 };
        const string macKey = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
        var services = new Pipeline.Engine.Services.LocalServiceManager(pebble.Directory / "services");
        await services.StartAsync(
            PebbleServices.Pebble(
                pebble.Directory / "pebble",
                ports,
                "acme-tests-pebble-eab",
                new Dictionary<string, string> { ["kid-1"] = macKey }
            ),
            CancellationToken.None
        );
        try
        {
            using var http = pebble.Http();
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var client = new AcmeClient(http, ports.DirectoryUrl, key);
            await client
                .Invoking(c => c.AccountAsync([], null, CancellationToken.None))
                .Should()
                .ThrowAsync<Pipeline.Engine.UsageException>()
                .WithMessage("*external account binding*");
            (await client.AccountAsync([], ("kid-1", macKey), CancellationToken.None)).Should().StartWith("https://127.0.0.1:22120/");
        }
        finally
        {
            await services.StopAsync("acme-tests-pebble-eab", CancellationToken.None);
        }
    }
}
