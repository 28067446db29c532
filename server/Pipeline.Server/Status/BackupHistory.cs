using Pipeline.Server.Storage;

namespace Pipeline.Server.Status;

/// <summary>
/// Backup sizes over time: the metrics hold only each set's last snapshot, so the refresher keeps one row per snapshot it sees
/// (set, time, bytes) in the server's database, and the dashboard draws the series.
/// </summary>
public sealed class BackupHistory(Database database)
{
    public async Task RecordAsync(IEnumerable<BackupView> backups, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        foreach (var b in backups.Where(b => b.LastSnapshot is not null && b.Bytes is not null))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR IGNORE INTO backup_points (set_name, at, bytes) VALUES ($set, $at, $bytes)";
            command.Parameters.AddWithValue("$set", b.Set);
            command.Parameters.AddWithValue("$at", Database.Time(b.LastSnapshot!.Value));
            command.Parameters.AddWithValue("$bytes", b.Bytes!.Value);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<IReadOnlyList<BackupPoint>> ReadAsync(IReadOnlyCollection<string> sets, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT set_name, at, bytes FROM backup_points ORDER BY at";
        var points = new List<BackupPoint>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (sets.Contains(reader.GetString(0)))
                points.Add(new BackupPoint(reader.GetString(0), Database.ParseTime(reader.GetString(1))!.Value, reader.GetDouble(2)));
        return points;
    }
}
