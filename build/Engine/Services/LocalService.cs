namespace Pipeline.Engine.Services;

/// <summary>A service process the build runs on 127.0.0.1, and how to tell it is ready.</summary>
public sealed record LocalService(string Name, string Executable, IReadOnlyList<string> Arguments, ReadinessProbe Probe)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Tools the service's executable comes from (checked before starting).</summary>
    public IReadOnlyList<Tool> Tools { get; init; } = [];
    /// <summary>Runs just before the process is launched (config files, credentials), never when it already runs.</summary>
    public Action? BeforeStart { get; init; }
    /// <summary>The addresses this service answers at and owns (its port on 127.0.0.1, its socket): see <see
    /// cref="OwnedAddress"/>.</summary>
    public IReadOnlyList<OwnedAddress> Addresses { get; init; } = [];

    /// <summary>Whether <paramref name="endpoint"/> is one of this service's own addresses, i.e. this service is the one meant.</summary>
    public bool Owns(string? endpoint) => Addresses.Any(a => a.Matches(endpoint));
}
