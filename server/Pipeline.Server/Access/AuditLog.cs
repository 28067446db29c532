using Pipeline.Server.Storage;

namespace Pipeline.Server.Access;

/// <summary>One row per request and per job event: who, what, on what, the answer. Nothing secret is written (no token, no
/// body, no query string).</summary>
public sealed class AuditLog(Database database)
{
    public async Task WriteAsync(string actor, string action, string subject, int status, string detail, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO audit (time, actor, action, subject, status, detail) VALUES ($time, $actor, $action, $subject, $status, $detail)
            """;
        command.Parameters.AddWithValue("$time", Database.Time(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("$actor", actor);
        command.Parameters.AddWithValue("$action", action);
        command.Parameters.AddWithValue("$subject", subject);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$detail", detail);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT time, actor, action, subject, status, detail FROM audit ORDER BY seq DESC LIMIT $count";
        command.Parameters.AddWithValue("$count", count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(ct))
            entries.Add(new AuditEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetString(5)));
        return entries;
    }
}

public sealed record AuditEntry(string Time, string Actor, string Action, string Subject, int Status, string Detail);
