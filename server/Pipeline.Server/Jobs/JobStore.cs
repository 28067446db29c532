using Microsoft.Data.Sqlite;
using Pipeline.Server.Storage;
using System.Text.Json;

namespace Pipeline.Server.Jobs;

/// <summary>The persistent queue: every job is a row from the moment it is accepted, so a restart loses none.</summary>
public sealed class JobStore(Database database)
{
    private const string Columns =
        "id, created, requested_by, environment, targets, parameters, status, started, finished, exit_code, pid, cancel_requested";

    public async Task<Job> EnqueueAsync(string requestedBy, string environment, IReadOnlyList<string> targets,
        IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        var job = new Job(Guid.NewGuid().ToString("N")[..12], DateTimeOffset.UtcNow, requestedBy, environment, targets, parameters,
            JobStatus.Queued);
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO jobs (id, seq, created, requested_by, environment, targets, parameters, status)
            VALUES ($id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), $created, $by, $env, $targets, $parameters, $status)
            """;
        command.Parameters.AddWithValue("$id", job.Id);
        command.Parameters.AddWithValue("$created", Database.Time(job.Created));
        command.Parameters.AddWithValue("$by", requestedBy);
        command.Parameters.AddWithValue("$env", environment);
        command.Parameters.AddWithValue("$targets", JsonSerializer.Serialize(targets));
        command.Parameters.AddWithValue("$parameters", JsonSerializer.Serialize(parameters));
        command.Parameters.AddWithValue("$status", job.Status.ToString());
        await command.ExecuteNonQueryAsync(ct);
        return job;
    }

    public async Task<Job?> FindAsync(string id, CancellationToken ct) =>
        (await QueryAsync("WHERE id = $id", ct, ("$id", id))).SingleOrDefault();

    public Task<IReadOnlyList<Job>> ByStatusAsync(JobStatus status, CancellationToken ct) =>
        QueryAsync("WHERE status = $status ORDER BY seq", ct, ("$status", status.ToString()));

    public Task<IReadOnlyList<Job>> RecentAsync(string? environment, int count, CancellationToken ct) =>
        environment is null
            ? QueryAsync($"ORDER BY seq DESC LIMIT {count}", ct)
            : QueryAsync($"WHERE environment = $env ORDER BY seq DESC LIMIT {count}", ct, ("$env", environment));

    public Task MarkRunningAsync(string id, int? pid, CancellationToken ct) =>
        UpdateAsync("status = $status, started = $time, pid = $pid", id, ct,
            ("$status", nameof(JobStatus.Running)), ("$time", Database.Time(DateTimeOffset.UtcNow)),
            ("$pid", (object?)pid ?? DBNull.Value));

    public Task MarkFinishedAsync(string id, JobStatus status, int? exitCode, CancellationToken ct) =>
        UpdateAsync("status = $status, finished = $time, exit_code = $code", id, ct,
            ("$status", status.ToString()), ("$time", Database.Time(DateTimeOffset.UtcNow)), ("$code", (object?)exitCode ?? DBNull.Value));

    public Task RequestCancelAsync(string id, CancellationToken ct) => UpdateAsync("cancel_requested = 1", id, ct);

    private async Task UpdateAsync(string set, string id, CancellationToken ct, params (string Name, object Value)[] values)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE jobs SET {set} WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<IReadOnlyList<Job>> QueryAsync(string where, CancellationToken ct, params (string Name, object Value)[] values)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM jobs {where}";
        foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var jobs = new List<Job>();
        while (await reader.ReadAsync(ct)) jobs.Add(Read(reader));
        return jobs;
    }

    private static Job Read(SqliteDataReader r) => new(
        r.GetString(0),
        Database.ParseTime(r.GetValue(1))!.Value,
        r.GetString(2),
        r.GetString(3),
        JsonSerializer.Deserialize<List<string>>(r.GetString(4))!,
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(5))!,
        Enum.Parse<JobStatus>(r.GetString(6)),
        Database.ParseTime(r.GetValue(7)),
        Database.ParseTime(r.GetValue(8)),
        r.IsDBNull(9) ? null : r.GetInt32(9),
        r.IsDBNull(10) ? null : r.GetInt32(10),
        r.GetInt32(11) != 0
    );
}
