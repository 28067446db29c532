namespace Pipeline.Dns;

/// <summary>
/// How Pipeline marks the records it manages, as external-dns does: a TXT record at <c>_pipeline.&lt;name&gt;</c> holding
/// <c>heritage=pipeline,owner=&lt;environment&gt;</c>. A group's marker also lists the instance names it manages
/// (<c>records=web-1.zone,web-2.zone</c>), so that a member gone is removed from the zone.
/// </summary>
public static class DnsOwnership
{
    public const string Label = "_pipeline";
    private const string Heritage = "heritage=pipeline,owner=";
    private const string IndexPrefix = "records=";

    public static string MarkerName(string name) => $"{Label}.{name}";
    public static string Marker(string owner) => Heritage + owner;
    public static string Index(IEnumerable<string> names) => IndexPrefix + string.Join(",", names.Order(StringComparer.Ordinal));

    /// <summary>The owner a marker set names (null when none does).</summary>
    public static string? OwnerIn(IEnumerable<string> markerValues) =>
        markerValues.FirstOrDefault(v => v.StartsWith(Heritage, StringComparison.Ordinal))?[Heritage.Length..];

    /// <summary>The instance names a group's marker set lists.</summary>
    public static IReadOnlyList<string> IndexIn(IEnumerable<string> markerValues) =>
        markerValues.Where(v => v.StartsWith(IndexPrefix, StringComparison.Ordinal))
            .SelectMany(v => v[IndexPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
}
