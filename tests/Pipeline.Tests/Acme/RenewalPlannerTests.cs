using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Tools.Acme;
using Xunit;

namespace Pipeline.Tests.Acme;

public sealed class RenewalPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChallengeDefinition Http = new(ChallengeType.Http01, 80, null, []);
    private static readonly NameSet Set = new(["b.example.com", "a.example.com"], Http);
    private static readonly CertificatesDefinition Definition = new(
        new Uri("https://ca.example/dir"),
        null,
        [],
        KeyType.EcP256,
        Http,
        null,
        null,
        "b",
        "k",
        "d",
        null,
        [Set]
    );

    private static CertificateState Cert(
        int daysAgo,
        int lifetimeDays,
        string directory = "https://ca.example/dir",
        KeyType type = KeyType.EcP256
    ) =>
        new(
            ["a.example.com", "b.example.com"],
            type,
            directory,
            "chain",
            "key",
            Now.AddDays(-daysAgo),
            Now.AddDays(lifetimeDays - daysAgo),
            Now.AddDays(-daysAgo)
        );

    private static CertificatePlan Plan(CertificateState? current, RenewalWindow? window = null) =>
        RenewalPlanner.Plan(Definition, current is null ? AcmeState.Empty : AcmeState.Empty.With(current), Now,
            window is null ? null : new Dictionary<string, RenewalWindow> { [Set.Key] = window }).Single();

    [Fact]
    public void A_names_set_without_a_certificate_is_issued() => Plan(null).Action.Should().Be(CertificateAction.Issue);

    [Fact]
    public void A_certificate_with_more_than_a_third_of_its_lifetime_left_is_up_to_date_whatever_the_name_order() =>
        Plan(Cert(daysAgo: 59, lifetimeDays: 90)).Action.Should().Be(CertificateAction.UpToDate);

    [Fact]
    public void A_certificate_with_less_than_a_third_of_its_lifetime_left_is_renewed() =>
        Plan(Cert(daysAgo: 61, lifetimeDays: 90)).Action.Should().Be(CertificateAction.Renew);

    [Fact]
    public void An_open_ARI_window_renews_early_and_overrides_the_lifetime_rule()
    {
        Plan(Cert(daysAgo: 5, lifetimeDays: 90), new RenewalWindow(Now.AddHours(-1), Now.AddDays(1)))
            .Action.Should()
            .Be(CertificateAction.Renew);
        Plan(Cert(daysAgo: 70, lifetimeDays: 90), new RenewalWindow(Now.AddDays(3), Now.AddDays(4)))
            .Action.Should()
            .Be(CertificateAction.UpToDate);
    }

    [Fact]
    public void An_expired_certificate_is_renewed_even_inside_a_future_ARI_window() =>
        Plan(Cert(daysAgo: 91, lifetimeDays: 90), new RenewalWindow(Now.AddDays(3), Now.AddDays(4)))
            .Action.Should()
            .Be(CertificateAction.Renew);

    [Fact]
    public void A_certificate_from_another_CA_or_of_another_key_type_is_issued_anew()
    {
        Plan(Cert(1, 90, directory: "https://other.example/dir")).Action.Should().Be(CertificateAction.Issue);
        Plan(Cert(1, 90, type: KeyType.Rsa2048)).Action.Should().Be(CertificateAction.Issue);
    }
}
