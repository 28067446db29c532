
using Pipeline.Tools.Acme;

namespace Pipeline.Acme;

public enum CertificateAction { UpToDate, Issue, Renew }

/// <summary>What to do about one names set, and why (the log line).</summary>
public sealed record CertificatePlan(NameSet Set, CertificateAction Action, string Reason, CertificateState? Current);

/// <summary>
/// Decides, without a network, which names sets need an order: missing ones, ones from another CA or key type,
/// and due ones — by the ARI window when the CA offers renewalInfo, otherwise when less than a third of the
/// lifetime is left.
/// </summary>
public static class RenewalPlanner
{
    /// <param name="windows">ARI suggested windows by set key (only for sets whose CA answered renewalInfo).</param>
    public static IReadOnlyList<CertificatePlan> Plan(
        CertificatesDefinition definition,
        AcmeState state,
        DateTimeOffset now,
        IReadOnlyDictionary<string, RenewalWindow>? windows = null
    ) => definition.Sets.Select(set => PlanOne(definition, set, state.Find(set.Key), now, windows?.GetValueOrDefault(set.Key))).ToList();

    public static CertificatePlan PlanOne(
        CertificatesDefinition definition,
        NameSet set,
        CertificateState? current,
        DateTimeOffset now,
        RenewalWindow? window
    )
    {
        if (current is null) return new(set, CertificateAction.Issue, "no certificate yet", null);
        if (current.Directory != definition.Directory.AbsoluteUri)
            return new(set, CertificateAction.Issue, $"issued by another CA ({current.Directory})", current);
        if (current.KeyType != definition.KeyType)
            return new(set, CertificateAction.Issue, $"key type changed ({current.KeyType} → {definition.KeyType})", current);
        if (now >= current.NotAfter) return new(set, CertificateAction.Renew, $"expired on {current.NotAfter:yyyy-MM-dd}", current);
        if (window is not null)
            return now >= window.Start
                ? new(set, CertificateAction.Renew, $"the CA's renewal window opened {window.Start:yyyy-MM-dd HH:mm} (ARI)", current)
                : new(set, CertificateAction.UpToDate, $"up to date (ARI window opens {window.Start:yyyy-MM-dd HH:mm})", current);
        var renewAt = RenewAt(current);
        return now >= renewAt
            ? new(set, CertificateAction.Renew, $"less than a third of its lifetime left (expires {current.NotAfter:yyyy-MM-dd})", current)
            : new(set, CertificateAction.UpToDate, $"up to date (renews after {renewAt:yyyy-MM-dd})", current);
    }

    /// <summary>When two thirds of the lifetime have passed.</summary>
    public static DateTimeOffset RenewAt(CertificateState c) => c.NotAfter - (c.NotAfter - c.NotBefore) / 3;
}
