using Pipeline.Monitoring;

namespace Pipeline.Server.Status;

/// <summary>What the freshness metrics say of an environment's groups, certificates and backup sets.</summary>
public static class MetricViews
{
    public static IReadOnlyList<GroupView> Groups(string environment, EnvironmentOutline outline, IReadOnlyList<FileSample> samples)
    {
        var mine = samples.Where(s => s.Label("env") == environment && s.Label("group") is not null).ToList();
        return [.. outline.Groups.Select(g => g.Name).Union(mine.Select(s => s.Label("group")!)).Select(group =>
        {
            var of = mine.Where(s => s.Label("group") == group).ToList();
            var info = of.FirstOrDefault(s => s.Name == MetricNames.DeployInfo);
            return new GroupView(group, info?.Label("image"), info?.Label("deploy_id"),
                of.FirstOrDefault(s => s.Name == MetricNames.DeployLast)?.Time,
                of.FirstOrDefault(s => s.Name == MetricNames.DeploySucceeded) is { } ok ? ok.Value == 1 : null,
                of.FirstOrDefault(s => s.Name == MetricNames.DeployRollbacks)?.Value ?? 0);
        })];
    }

    /// <summary>The environment file's certificate sets, each with the metrics of its first name (the label <c>cert</c>).</summary>
    public static IReadOnlyList<CertificateView> Certificates(string environment, EnvironmentOutline outline,
        IReadOnlyList<FileSample> samples)
    {
        var mine = samples.Where(s => s.File == $"certificates-{environment}.prom").ToList();
        var sets = outline.Certificates.Concat(mine.Select(s => s.Label("cert")).OfType<string>().Distinct()
            .Where(c => !outline.Certificates.Any(set => set[0] == c)).Select(c => (IReadOnlyList<string>)[c]));
        return [.. sets.Select(names => new CertificateView(names,
            mine.FirstOrDefault(s => s.Label("cert") == names[0] && s.Name == MetricNames.CertificateExpiry)?.Time,
            mine.FirstOrDefault(s => s.Label("cert") == names[0] && s.Name == MetricNames.CertificateRenewalStart)?.Time))];
    }

    /// <summary>The environment's backup sets (all sets in the metrics when the file lists none).</summary>
    public static IReadOnlyList<BackupView> Backups(EnvironmentOutline outline, IReadOnlyList<FileSample> samples)
    {
        var withSet = samples.Where(s => s.Label("set") is not null).ToList();
        var sets = outline.BackupSets.Count > 0 ? outline.BackupSets : withSet.Select(s => s.Label("set")!).Distinct().Order().ToList();
        return [.. sets.Select(set =>
        {
            FileSample? Of(string name) => withSet.FirstOrDefault(s => s.Label("set") == set && s.Name == name);
            return new BackupView(set, Of(MetricNames.BackupLastSuccess)?.Time, Of(MetricNames.BackupBytes)?.Value,
                Of("backup_files")?.Value, Of(MetricNames.BackupLastVerify)?.Time,
                Of(MetricNames.BackupLastVerifyOk) is { } ok ? ok.Value == 1 : null);
        })];
    }
}
