using System.Globalization;

namespace Pipeline.Backups;

/// <summary>Why a snapshot stays: "last", "daily 2026-11-22", … — empty when it goes.</summary>
public sealed record RetentionDecision(SnapshotRef Snapshot, IReadOnlyList<string> Reasons)
{
    public bool Keep => Reasons.Count > 0;
}

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to one set's snapshots (restic's forget rules): the newest
/// <c>Last</c>, then for days, ISO weeks and months in the policy's time zone the newest snapshot of each of the
/// most recent periods that have one. The newest snapshot is always kept.
/// </summary>
public static class RetentionPlanner
{
    public static IReadOnlyList<RetentionDecision> Plan(IEnumerable<SnapshotRef> snapshots, RetentionPolicy policy)
    {
        var newestFirst = snapshots.OrderByDescending(s => s.Time).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList();
        var reasons = newestFirst.ToDictionary(s => s.Id, _ => new List<string>());
        foreach (var s in newestFirst.Take(policy.Last)) reasons[s.Id].Add("last");
        Bucket(newestFirst, reasons, policy.Daily, "daily", t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), policy.TimeZone);
        Bucket(
            newestFirst,
            reasons,
            policy.Weekly,
            "weekly",
            t => $"{ISOWeek.GetYear(t.DateTime)}-W{ISOWeek.GetWeekOfYear(t.DateTime):00}",
            policy.TimeZone
        );
        Bucket(newestFirst, reasons, policy.Monthly, "monthly", t => t.ToString("yyyy-MM", CultureInfo.InvariantCulture), policy.TimeZone);
        if (newestFirst.Count > 0 && reasons[newestFirst[0].Id].Count == 0) reasons[newestFirst[0].Id].Add("newest");
        return newestFirst.Select(s => new RetentionDecision(s, reasons[s.Id])).ToList();
    }

    private static void Bucket(List<SnapshotRef> newestFirst, Dictionary<string, List<string>> reasons, int count, string label,
        Func<DateTimeOffset, string> period, TimeZoneInfo zone)
    {
        var seen = new HashSet<string>();
        foreach (var s in newestFirst)
        {
            if (seen.Count >= count) break;
            var key = period(TimeZoneInfo.ConvertTime(s.Time, zone));
            if (seen.Add(key)) reasons[s.Id].Add($"{label} {key}");
        }
    }
}
