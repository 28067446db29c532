using Pipeline.Acme;

namespace Pipeline.Monitoring;

/// <summary>
/// Certificates' freshness metrics (<c>certificates-&lt;env&gt;.prom</c>), per certificate of the environment's sets
/// (label <c>cert</c>: its first name): when it expires and when its renewal window starts (two thirds of its lifetime).
/// </summary>
public static class CertificateMetrics
{
    public static readonly IReadOnlyList<MetricFamily> Families =
    [
        new(MetricNames.CertificateExpiry, "Unix time the certificate expires (notAfter)."),
        new(MetricNames.CertificateRenewalStart, "Unix time the certificate's renewal window starts (two thirds of its lifetime)."),
    ];

    public static string File(string metricsDirectory, string environment) =>
        Path.Combine(metricsDirectory, $"certificates-{environment}.prom");

    public static IReadOnlyList<MetricSample> Samples(string environment, CertificatesDefinition definition, AcmeState state) =>
        definition.Sets.Select(set => state.Find(set.Key)).OfType<CertificateState>()
            .OrderBy(c => c.Names[0], StringComparer.Ordinal)
            .SelectMany(c => new MetricSample[]
            {
                new(MetricNames.CertificateExpiry, [("env", environment), ("cert", c.Names[0])], TextfileMetrics.UnixSeconds(c.NotAfter)),
                new(MetricNames.CertificateRenewalStart, [("env", environment), ("cert", c.Names[0])],
                    TextfileMetrics.UnixSeconds(RenewalPlanner.RenewAt(c))),
            })
            .ToList();

    /// <summary>Replaces the file whole: certificates of sets no longer in the environment disappear.</summary>
    public static void Write(string metricsDirectory, string environment, CertificatesDefinition definition, AcmeState state) =>
        TextfileMetrics.Write(File(metricsDirectory, environment), Families, Samples(environment, definition, state), "cert");
}
