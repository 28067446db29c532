namespace Pipeline.Engine.Parameters;

/// <summary>
/// Sets every <c>[Parameter]</c> member from, highest first: the command line, the environment,
/// <c>.nuke/parameters.&lt;profile&gt;.json</c> (later profiles win), <c>.nuke/parameters.json</c>; otherwise
/// the member keeps its default. Values of <c>[Secret]</c> members are registered with the masker. Every value is
/// checked here, before anything runs: its type, its range (<see cref="ParameterAttribute.Minimum"/>), and a flag
/// given twice is refused rather than the last one silently winning.
/// </summary>
public sealed class ParameterBinder(
    IReadOnlyList<ParameterInfo> parameters,
    IReadOnlyDictionary<string, string> environment,
    AbsolutePath root,
    SecretMasker masker)
{
    public void Bind(object build, CommandLine commandLine, IReadOnlyList<string> profiles)
    {
        RegisterSecretFlags(commandLine);
        RejectUnknownFlags(commandLine);
        RejectRepeatedFlags(commandLine);
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
                throw new UsageException(masker.Mask(source.Describe($"{e.Message} (e.g. {parameter.Flag} {Example(parameter)})")));
            }
            if (parameter.OutOfRange(value) is { } problem)
                throw new UsageException(masker.Mask(source.Describe(problem)));
            parameter.SetValue(build, value);
        }

        // Defaults of secret members (rare, but never printed either).
        foreach (var parameter in parameters.Where(p => p.IsSecret))
            if (parameter.GetValue(build) is string s) masker.Register(s);
    }

    /// <summary>Where a value came from, so its error names the flag, the variable, or the file, key and line.</summary>
    private sealed record Source(string Name, int Line = 0, int Column = 0)
    {
        public string Describe(string problem) => Line > 0 ? $"{Name}: {problem} (line {Line}, column {Column})" : $"{Name}: {problem}.";
    }

    private (IReadOnlyList<string>? Values, Source Source) Lookup(
        ParameterInfo parameter,
        CommandLine commandLine,
        IReadOnlyList<ParameterFile> files
    )
    {
        if (commandLine.Find(parameter.Name) is { } flag)
            return (flag.Values, new Source($"command line {parameter.Flag}"));
        // An empty variable counts as unset (CI often passes `FORCE: ${{ inputs.force }}` with nothing in it).
        if (environment.TryGetValue(parameter.EnvironmentVariable, out var env) && env.Length > 0)
            return ([env], new Source($"environment variable {parameter.EnvironmentVariable}"));
        foreach (var file in files)
            if (file.Values.TryGetValue(Naming.Key(parameter.Name), out var entry))
                return (entry.Values, new Source($"{file.Name}: {entry.Key}", entry.Line, entry.Column));
        return (null, new Source(""));
    }

    private void RejectUnknownFlags(CommandLine commandLine)
    {
        var known = parameters.Select(p => Naming.Key(p.Name)).ToHashSet();
        foreach (var flag in commandLine.Flags)
            if (!known.Contains(Naming.Key(flag.Name)))
                throw new UsageException(
                    $"Unknown parameter '{flag.Name}'.{Suggestions.DidYouMean(flag.Name, parameters.Select(p => p.Flag))} See ./build.sh "
                    + $"--help."
                );
    }

    /// <summary>Every value given to a <c>[Secret]</c> flag, before any check can quote it (a repeated <c>--github-token</c>).</summary>
    private void RegisterSecretFlags(CommandLine commandLine)
    {
        foreach (var flag in commandLine.Flags)
            if (parameters.FirstOrDefault(p => Naming.Key(p.Name) == Naming.Key(flag.Name)) is { IsSecret: true })
                foreach (var value in flag.Values) masker.Register(value);
    }

    /// <summary><c>--environment staging --environment production</c> is a mistake, not "the last one wins".</summary>
    private void RejectRepeatedFlags(CommandLine commandLine)
    {
        foreach (var group in commandLine.Flags.GroupBy(f => Naming.Key(f.Name)).Where(g => g.Count() > 1))
        {
            var parameter = parameters.First(p => Naming.Key(p.Name) == group.Key);
            var given = group.Select(f => f.Values.Count == 0 ? f.Name : $"{f.Name} {string.Join(" ", f.Values)}");
            throw new UsageException(masker.Mask(
                $"{parameter.Flag} is given {group.Count()} times ({string.Join(", then ", given)}): give it once" +
                (parameter.Type.IsArray ? $" (a list takes several values: {parameter.Flag} a b)." : ".")));
        }
    }

    /// <summary>Parameter files, highest precedence first.</summary>
    private List<ParameterFile> LoadFiles(IReadOnlyList<string> profiles)
    {
        var result = new List<ParameterFile>();
        var known = parameters.Select(p => p.Name).ToList();
        foreach (var profile in profiles.Reverse())
        {
            var path = root / ".nuke" / $"parameters.{profile}.json";
            if (!File.Exists(path))
                throw new UsageException(
                    $"Profile '{profile}' has no file {path.RelativeTo(root)} (create it, or drop --profile {profile})."
                );
            result.Add(ParameterFile.Load(path, path.RelativeTo(root), known));
        }
        var main = root / ".nuke" / "parameters.json";
        if (File.Exists(main)) result.Add(ParameterFile.Load(main, main.RelativeTo(root), known));
        return result;
    }

    private static string Example(ParameterInfo p)
    {
        var t = Nullable.GetUnderlyingType(p.Type) ?? p.Type;
        if (t == typeof(int)) return Math.Clamp(2, p.Minimum, p.Maximum).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (t == typeof(TimeSpan)) return "5m";
        if (t == typeof(bool)) return "true";
        if (t.IsEnum) return Naming.Kebab(Enum.GetNames(t)[0]);
        return "<value>";
    }
}
