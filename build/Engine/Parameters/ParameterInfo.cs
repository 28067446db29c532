using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Pipeline.Engine.Parameters;

/// <summary>A <c>[Parameter]</c> member of the build with its derived names.</summary>
public sealed class ParameterInfo
{
    internal ParameterInfo(MemberInfo member, ParameterAttribute attribute)
    {
        Member = member;
        Description = attribute.Description;
        Name = attribute.Name ?? member.Name;
        _environmentVariable = attribute.EnvironmentVariable;
        Minimum = attribute.Minimum;
        Maximum = attribute.Maximum;
        IsSecret = member.GetCustomAttribute<SecretAttribute>() is not null;
        Type = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
    }

    public MemberInfo Member { get; }
    public string Name { get; }
    public string Description { get; }
    public bool IsSecret { get; }
    public Type Type { get; }
    public string Flag => "--" + Naming.Kebab(Name);
    private readonly string? _environmentVariable;
    public string EnvironmentVariable => _environmentVariable ?? Naming.UpperSnake(Name);
    public long Minimum { get; }
    public long Maximum { get; }
    public bool IsSwitch => Type == typeof(bool) || Type == typeof(bool?);

    public object? GetValue(object build) => Member switch
    {
        FieldInfo f => f.GetValue(build),
        PropertyInfo p => p.GetValue(build),
        _ => null,
    };

    public void SetValue(object build, object? value)
    {
        switch (Member)
        {
            case FieldInfo f: f.SetValue(build, value); break;
            case PropertyInfo p: p.SetValue(build, value); break;
        }
    }

    /// <summary>Why <paramref name="value"/> is outside [Minimum, Maximum], or null when it is inside (or not a number).</summary>
    public string? OutOfRange(object? value)
    {
        var number = value switch
        {
            int i => i,
            double d => d,
            _ => (double?)null,
        };
        if (number is not { } n) return null;
        if (n < Minimum) return $"must be at least {Minimum}, not {value}";
        if (n > Maximum) return $"must be at most {Maximum}, not {value}";
        return null;
    }

    public static IReadOnlyList<ParameterInfo> Discover([DynamicallyAccessedMembers(PipelineBuild.Members)] Type buildType) =>
        // Fields and properties only: GetMembers would also make a MethodInfo for each of the build's many methods.
        buildType.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Concat<MemberInfo>(buildType.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => (Member: m, Attribute: m.GetCustomAttribute<ParameterAttribute>()))
            .Where(x => x.Attribute is not null)
            .GroupBy(x => x.Member.Name).Select(g => g.First())
            .Select(x => new ParameterInfo(x.Member, x.Attribute!))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
}
