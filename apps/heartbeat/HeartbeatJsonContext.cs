using System.Text.Json;
using System.Text.Json.Serialization;

namespace Heartbeat;

/// <summary>Source-generated JSON so the trimmed binary needs no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(NotifyAccepted))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class HeartbeatJsonContext : JsonSerializerContext;
