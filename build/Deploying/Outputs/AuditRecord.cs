using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Deploying.Outputs;

/// <summary>Who deployed what, from what to what, with which result and timings: one JSON document per group and deploy.</summary>
public sealed record AuditRecord(
    string Deploy, string Environment, string Group, string User, string Host, string? CiRun,
    string Result, string Message, IReadOnlyList<AuditChange> Changes, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, double Seconds)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        TypeInfoResolver = AuditRecordJson.Default,
    };
    private static readonly JsonSerializerOptions OneLine = new(Json) { WriteIndented = false };

    public static AuditRecord From(DeployOutcome outcome) =>
        new(
            outcome.DeployId,
            outcome.Plan.Group.Environment,
            outcome.Plan.Group.Name,
            System.Environment.UserName,
            System.Environment.MachineName,
            System.Environment.GetEnvironmentVariable("GITHUB_RUN_ID"),
            outcome.Succeeded ? "succeeded"
                : outcome.RolledBack ? "rolled back"
                : "halted",
            outcome.Message,
            outcome.Plan.Pending.Select(c => new AuditChange(c.Kind.ToString().ToLowerInvariant(), c.Name, c.From, c.To)).ToList(),
            outcome.StartedAt,
            outcome.FinishedAt,
            Math.Round((outcome.FinishedAt - outcome.StartedAt).TotalSeconds, 2)
        )
        { Live = outcome.Live };

    /// <summary>The repository's commit the deploy ran from (absent outside a git repository): the delivery metrics' lead time
    /// starts at its commit time.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Commit { get; init; }

    /// <summary>A blue/green group's live colour after the deploy (absent for rolling groups).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Live { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json.TypeInfo<AuditRecord>());
    public string ToLine() => JsonSerializer.Serialize(this, OneLine.TypeInfo<AuditRecord>());
}

public sealed record AuditChange(string Kind, string Instance, string? From, string? To);

[JsonSerializable(typeof(AuditRecord))]
internal sealed partial class AuditRecordJson : JsonSerializerContext;
