using System.Security.Cryptography;
using FluentAssertions;
using Pipeline.Acme;
using Xunit;

namespace Pipeline.IntegrationTests.Acme;

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
