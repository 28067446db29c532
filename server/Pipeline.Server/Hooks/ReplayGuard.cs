using Pipeline.Server.Storage;

namespace Pipeline.Server.Hooks;

/// <summary>
/// Refuses a signed request seen before: its signature (Slack) or delivery id (GitHub) is kept, in the database so that a
/// restart does not reopen the window, until the request would be stale anyway.
/// </summary>
public sealed class ReplayGuard(Database database)
{
    /// <summary>True the first time <paramref name="key"/> is seen; false for a replay.</summary>
    public async Task<bool> FirstSeenAsync(string key, TimeSpan keep, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM seen_signatures WHERE expires < $now;
            INSERT OR IGNORE INTO seen_signatures (signature, expires) VALUES ($key, $expires);
            SELECT changes();
            """;
        command.Parameters.AddWithValue("$now", Database.Time(now));
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$expires", Database.Time(now + keep));
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) == 1;
    }
}
