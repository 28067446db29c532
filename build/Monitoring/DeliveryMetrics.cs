namespace Pipeline.Monitoring;

/// <summary>One group's deploy as the audit trail (<c>artifacts/deploy/audit.jsonl</c>) records it.</summary>
/// <param name="Commit">The repository's commit the deploy ran from (absent in records older than the field).</param>
public sealed record DeployEvent(
    string Deploy, string Environment, string Group, string Result, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? Commit)
{
    public bool Succeeded => Result == "succeeded";
    public bool RolledBack => Result == "rolled back";
}

/// <summary>A commit and when it was committed.</summary>
public sealed record CommitTime(string Commit, DateTimeOffset At);

/// <summary>One deploy of the environment (its groups' records together): what it came to and what it counts towards.</summary>
/// <param name="LeadTimes">For a deploy that went live: commit-to-live time of each commit it brought.</param>
/// <param name="Restore">For a failed deploy: how long until the service ran a good version again (null: not yet).</param>
public sealed record DeliveryDeploy(
    string Deploy, IReadOnlyList<string> Groups, string Result, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? Commit,
    IReadOnlyList<TimeSpan> LeadTimes, TimeSpan? Restore)
{
    public bool Failed => Result != "succeeded";
}

/// <summary>
/// The four delivery metrics of an environment over a window, from its audit records and the git history:
/// deployment frequency (deploys that went live per day), lead time for changes (median time from a commit to the end
/// of the first deploy that took it live), change-failure rate (deploys that rolled back or halted, over all deploys)
/// and time to restore (median: a rolled-back deploy restored the previous version when it ended; a halted one only
/// when the next deploy went live).
/// </summary>
public sealed record DeliveryMetrics(
    string Environment, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DeliveryDeploy> Deploys,
    double DeploysPerDay, TimeSpan? LeadTime, double? ChangeFailureRate, TimeSpan? TimeToRestore)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public int Live => Deploys.Count(d => !d.Failed);
    public int Failed => Deploys.Count(d => d.Failed);
    public int RolledBack => Deploys.Count(d => d.Result == "rolled back");

    /// <param name="commits">The commits a deploy of <c>commit</c> took live after one of <c>previous</c> (git's
    /// <c>previous..commit</c>; only <c>commit</c> when there was none); empty for a commit git does not know.</param>
    public static DeliveryMetrics Compute(
        string environment, IEnumerable<DeployEvent> events, Func<string?, string, IReadOnlyList<CommitTime>> commits,
        DateTimeOffset now, TimeSpan window)
    {
        var all = events.Where(e => e.Environment == environment)
            .GroupBy(e => e.Deploy)
            .Select(g => (Id: g.Key, Groups: g.Select(e => e.Group).Distinct().Order(StringComparer.Ordinal).ToList(),
                Result: g.All(e => e.Succeeded) ? "succeeded" : g.Any(e => e.RolledBack) ? "rolled back" : "halted",
                Started: g.Min(e => e.StartedAt), Finished: g.Max(e => e.FinishedAt),
                Commit: g.Select(e => e.Commit).FirstOrDefault(c => c is not null)))
            .OrderBy(d => d.Started)
            .ToList();
        var from = now - window;
        var deploys = new List<DeliveryDeploy>();
        string? lastLiveCommit = null;
        for (var i = 0; i < all.Count; i++)
        {
            var d = all[i];
            IReadOnlyList<TimeSpan> leadTimes = [];
            TimeSpan? restore = null;
            if (d.Result == "succeeded" && d.Commit is { } commit)
            {
                leadTimes = [.. commits(lastLiveCommit, commit).Select(c => Max(d.Finished - c.At, TimeSpan.Zero))];
                lastLiveCommit = commit;
            }
            else if (d.Result == "rolled back") restore = d.Finished - d.Started;
            else if (d.Result != "succeeded")
            {
                var next = all.Skip(i + 1).FirstOrDefault(n => n.Result == "succeeded");
                if (next.Id is not null) restore = next.Finished - d.Started;
            }
            if (d.Started >= from) deploys.Add(new(d.Id, d.Groups, d.Result, d.Started, d.Finished, d.Commit, leadTimes, restore));
        }
        var span = deploys.Count == 0 ? window : Max(now - deploys[0].StartedAt, TimeSpan.FromDays(1));
        var live = deploys.Count(d => !d.Failed);
        return new DeliveryMetrics(
            environment, deploys.Count == 0 ? from : deploys[0].StartedAt, now, deploys,
            live / Min(span, window).TotalDays,
            Median(deploys.SelectMany(d => d.LeadTimes)),
            deploys.Count == 0 ? null : (double)deploys.Count(d => d.Failed) / deploys.Count,
            Median(deploys.Where(d => d.Restore is not null).Select(d => d.Restore!.Value)));
    }

    public static TimeSpan? Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
