using Pipeline.Server.Storage;

namespace Pipeline.Server.Access;

/// <summary>Tokens by the SHA-256 of their value: the value itself is never stored.</summary>
public sealed class TokenStore(Database database)
{
    /// <summary>Creates a token and returns its value, which exists nowhere else afterwards.</summary>
    public async Task<string> MintAsync(string name, TokenScopes scopes, string? slackUser, CancellationToken ct)
    {
        var token = ApiToken.Create();
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO tokens (hash, name, scopes, slack_user, created) VALUES ($hash, $name, $scopes, $slack, $created)
            ON CONFLICT(name) DO UPDATE SET hash = $hash, scopes = $scopes, slack_user = $slack, created = $created
            """;
        command.Parameters.AddWithValue("$hash", ApiToken.Hash(token));
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$scopes", scopes.ToString());
        command.Parameters.AddWithValue("$slack", (object?)slackUser ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", Database.Time(DateTimeOffset.UtcNow));
        await command.ExecuteNonQueryAsync(ct);
        return token;
    }

    public Task<Caller?> FindAsync(string token, CancellationToken ct) =>
        FindByAsync("hash", ApiToken.Hash(token), ct);

    /// <summary>The token a Slack user acts with (minted with <c>--slack-user</c>).</summary>
    public Task<Caller?> FindSlackUserAsync(string userId, CancellationToken ct) => FindByAsync("slack_user", userId, ct);

    private async Task<Caller?> FindByAsync(string column, string value, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, scopes FROM tokens WHERE {column} = $value";
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new Caller(reader.GetString(0), TokenScopes.Parse(reader.GetString(1))) : null;
    }
}
