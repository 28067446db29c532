using System.Globalization;

namespace Pipeline.Tools.Haproxy;

/// <summary>One server of a backend, from <c>show stat</c>: its status text (UP, DOWN, DRAIN, MAINT, no check…) and current
/// sessions.</summary>
public sealed record ServerStatus(string Backend, string Name, string Status, int CurrentSessions, string? Address)
{
    public bool IsMaint => Status.StartsWith("MAINT", StringComparison.Ordinal);
    public bool IsDrain => Status.StartsWith("DRAIN", StringComparison.Ordinal) || Status.Contains("NOLB", StringComparison.Ordinal);
    /// <summary>Receiving traffic: ready and not failing HAProxy's own check.</summary>
    public bool IsServing => !IsMaint && !IsDrain && (Status.StartsWith("UP", StringComparison.Ordinal) || Status == "no check");

    /// <summary>Parses the CSV of <c>show stat</c> (header line <c># pxname,svname,…</c>), keeping the backend's servers.</summary>
    public static IReadOnlyList<ServerStatus> ParseStat(string csv, string backend)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal))
            throw new Engine.PipelineException($"HAProxy answered 'show stat' with something else: {csv.Trim()}");
        var header = lines[0][2..].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        int px = Column("pxname"), sv = Column("svname"), scur = Column("scur"), status = Column("status"), addr = Column("addr");
        var servers = new List<ServerStatus>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f.Length <= status || f[px] != backend || f[sv] is "FRONTEND" or "BACKEND") continue;
            servers.Add(new ServerStatus(f[px], f[sv], f[status],
                int.TryParse(f[scur], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0,
                addr >= 0 && addr < f.Length && f[addr].Length > 0 ? f[addr] : null));
        }
        return servers;
    }
}
