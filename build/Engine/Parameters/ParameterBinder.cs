using System.Text.Json;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// Sets every <c>[Parameter]</c> member from, highest first: the command line, the environment,
/// <c>.nuke/parameters.&lt;profile&gt;.json</c> (later profiles win), <c>.nuke/parameters.json</c>; otherwise
/// the member keeps its default. Values of <c>[Secret]</c> members are registered with the masker.
/// </summary>
public sealed class ParameterBinder(
    IReadOnlyList<ParameterInfo> parameters,
    IReadOnlyDictionary<string, string> environment,
    AbsolutePath root,
    SecretMasker masker)
{
    public void Bind(object build, CommandLine commandLine, IReadOnlyList<string> profiles)
    {
        RejectUnknownFlags(commandLine);
        var files = LoadFiles(profiles);

        foreach (var parameter in parameters)
        {
            var (values, source) = Lookup(parameter, commandLine, files);
            if (values is null) continue;
            // Registered before conversion, so a secret that is not a valid value is masked in the usage error too.
            if (parameter.IsSecret)
                foreach (var v in values) masker.Register(v);
            object? value;
            try
            {
                value = ValueConverter.Convert(values, parameter.Type, root);
            }
            catch (FormatException e)
            {
                throw new UsageException(masker.Mask($"{source}: {e.Message} (e.g. {parameter.Flag} {Example(parameter)})."));
            }
            parameter.SetValue(build, value);
        }

        // Defaults of secret members (rare, but never printed either).
        foreach (var parameter in parameters.Where(p => p.IsSecret))
            if (parameter.GetValue(build) is string s) masker.Register(s);
    }

    private (IReadOnlyList<string>? Values, string Source) Lookup(
        ParameterInfo parameter, CommandLine commandLine, IReadOnlyList<(string File, Dictionary<string, List<string>> Values)> files)
    {
        if (commandLine.Find(parameter.Name) is { } flag)
            return (flag.Values, $"command line {parameter.Flag}");
        // An empty variable counts as unset (CI often passes `FORCE: ${{ inputs.force }}` with nothing in it).
        if (environment.TryGetValue(parameter.EnvironmentVariable, out var env) && env.Length > 0)
            return ([env], $"environment variable {parameter.EnvironmentVariable}");
        foreach (var (file, values) in files)
            if (values.TryGetValue(Naming.Key(parameter.Name), out var fromFile))
                return (fromFile, $"{file}: {parameter.Name}");
        return (null, "");
    }

    private void RejectUnknownFlags(CommandLine commandLine)
    {
        var known = parameters.Select(p => Naming.Key(p.Name)).ToHashSet();
        foreach (var flag in commandLine.Flags)
            if (!known.Contains(Naming.Key(flag.Name)))
                throw new UsageException(
                    $"Unknown parameter '{flag.Name}'.{Suggestions.DidYouMean(flag.Name, parameters.Select(p => p.Flag))} See ./build.sh --help.");
    }

    /// <summary>Parameter files, highest precedence first.</summary>
    private List<(string File, Dictionary<string, List<string>> Values)> LoadFiles(IReadOnlyList<string> profiles)
    {
        var result = new List<(string, Dictionary<string, List<string>>)>();
        foreach (var profile in profiles.Reverse())
        {
            var path = root / ".nuke" / $"parameters.{profile}.json";
            if (!File.Exists(path))
                throw new UsageException($"Profile '{profile}' has no file {path.RelativeTo(root)} (create it, or drop --profile {profile}).");
            result.Add(Load(path));
        }
        var main = root / ".nuke" / "parameters.json";
        if (File.Exists(main)) result.Add(Load(main));
        return result;
    }

    private (string, Dictionary<string, List<string>>) Load(AbsolutePath path)
    {
        var name = path.RelativeTo(root);
        var values = new Dictionary<string, List<string>>();
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new UsageException($"{name}: not valid JSON ({e.Message})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new UsageException($"{name}: must be a JSON object of parameter names to values");
            var known = parameters.Select(p => p.Name).ToList();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.StartsWith('$')) continue;
                if (!known.Any(k => Naming.Key(k) == Naming.Key(property.Name)))
                    throw new UsageException($"{name}: {property.Name}: not a parameter of this build.{Suggestions.DidYouMean(property.Name, known)}");
                values[Naming.Key(property.Name)] = property.Value.ValueKind switch
                {
                    JsonValueKind.Array => property.Value.EnumerateArray().Select(Text).ToList(),
                    JsonValueKind.Null => [],
                    _ => [Text(property.Value)],
                };
            }
        }
        return (name, values);
    }

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    private static string Example(ParameterInfo p)
    {
        var t = Nullable.GetUnderlyingType(p.Type) ?? p.Type;
        if (t == typeof(int)) return "2";
        if (t == typeof(TimeSpan)) return "5m";
        if (t == typeof(bool)) return "true";
        if (t.IsEnum) return Naming.Kebab(Enum.GetNames(t)[0]);
        return "<value>";
    }
}
