using Pipeline.Definitions;

namespace Pipeline.Backups;

/// <summary>
/// Which snapshots to keep: the last <see cref="Last"/>, plus the newest of each of the last <see cref="Daily"/>
/// days, <see cref="Weekly"/> ISO weeks and <see cref="Monthly"/> months, calendar periods taken in
/// <see cref="TimeZone"/> (so a region's "daily" follows its own midnight).
/// </summary>
public sealed record RetentionPolicy(int Last, int Daily, int Weekly, int Monthly, TimeZoneInfo TimeZone)
{
    public static RetentionPolicy Default(TimeZoneInfo zone) => new(10, 7, 4, 12, zone);

    public static RetentionPolicy Load(DefinitionNode? node, TimeZoneInfo defaultZone)
    {
        if (node is null) return Default(defaultZone);
        node.AllowOnly("last", "daily", "weekly", "monthly", "time-zone");
        var d = Default(defaultZone);
        var policy = new RetentionPolicy(
            node.Optional("last")?.Int(0, 10_000) ?? d.Last,
            node.Optional("daily")?.Int(0, 10_000) ?? d.Daily,
            node.Optional("weekly")?.Int(0, 10_000) ?? d.Weekly,
            node.Optional("monthly")?.Int(0, 10_000) ?? d.Monthly,
            node.Optional("time-zone") is { } zone ? TimeZoneOf(zone) : defaultZone);
        if (policy is { Last: 0, Daily: 0, Weekly: 0, Monthly: 0 })
            throw node.Error("keeps nothing: set at least one of last, daily, weekly, monthly above 0");
        return policy;
    }

    public static TimeZoneInfo TimeZoneOf(DefinitionNode node)
    {
        var id = node.String();
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            throw node.Error($"'{id}' is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)");
        }
        catch (InvalidTimeZoneException)
        {
            throw node.Error($"'{id}' is not a valid time zone");
        }
    }
}
