namespace Pipeline.Engine;

/// <summary>
/// Marks a field or property of the build as a parameter: <c>--kebab-name value</c> on the command line,
/// <c>UPPER_SNAKE</c> in the environment, or a key of <c>.nuke/parameters*.json</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;
    /// <summary>Overrides the name derived from the member (PascalCase member → kebab-case flag).</summary>
    public string? Name { get; init; }
    /// <summary>Overrides the environment variable derived from the name (UPPER_SNAKE).</summary>
    public string? EnvironmentVariable { get; init; }
    /// <summary>The smallest value a number parameter accepts; checked when parameters are bound, before anything runs.</summary>
    public long Minimum { get; init; } = long.MinValue;
    /// <summary>The largest value a number parameter accepts; checked when parameters are bound, before anything runs.</summary>
    public long Maximum { get; init; } = long.MaxValue;
}

/// <summary>The parameter's value is masked as **** in everything the build prints or writes.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
