using System.Collections;
using System.Net;
using System.Reflection;

namespace Heartbeat;

/// <summary>Configuration from HEARTBEAT_* environment variables, which win over the environment file.</summary>
internal sealed record HeartbeatSettings(
    IPAddress Bind,
    int Port,
    string? User,
    string? Password,
    string Instance,
    string Version,
    TimeSpan ShutdownTimeout)
{
    public bool AuthConfigured => !string.IsNullOrEmpty(User) && !string.IsNullOrEmpty(Password);

    public static HeartbeatSettings Load(IDictionary environment, IReadOnlyDictionary<string, string> file)
    {
        string? Get(string key) =>
            environment[key] as string is { Length: > 0 } fromEnvironment ? fromEnvironment
            : file.TryGetValue(key, out var fromFile) && fromFile.Length > 0 ? fromFile
            : null;

        return new HeartbeatSettings(
            Bind: ParseAddress(Get("HEARTBEAT_BIND") ?? "0.0.0.0"),
            Port: ParsePort(Get("HEARTBEAT_PORT") ?? "8080"),
            User: Get("HEARTBEAT_USER"),
            Password: Get("HEARTBEAT_PASSWORD"),
            Instance: Get("HEARTBEAT_INSTANCE") ?? Environment.MachineName,
            Version: Get("HEARTBEAT_VERSION") ?? BakedVersion(),
            ShutdownTimeout: TimeSpan.FromSeconds(ParseSeconds(Get("HEARTBEAT_SHUTDOWN_TIMEOUT") ?? "10")));
    }

    /// <summary>The version given at publish with -p:InformationalVersion=…</summary>
    public static string BakedVersion() =>
        typeof(HeartbeatSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";

    private static IPAddress ParseAddress(string value) =>
        IPAddress.TryParse(value, out var address)
            ? address
            : throw new ConfigurationException($"HEARTBEAT_BIND: '{value}' is not an IP address (e.g. 0.0.0.0 or 127.0.0.1)");

    private static int ParsePort(string value) =>
        int.TryParse(value, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new ConfigurationException($"HEARTBEAT_PORT: '{value}' is not a port number (0-65535)");

    private static int ParseSeconds(string value) =>
        int.TryParse(value, out var seconds) && seconds is >= 1 and <= 300
            ? seconds
            : throw new ConfigurationException($"HEARTBEAT_SHUTDOWN_TIMEOUT: '{value}' must be whole seconds between 1 and 300");
}

internal sealed class ConfigurationException(string message) : Exception(message);
