namespace Pipeline.Engine.Parameters;

/// <summary>
/// The raw command line: leading words are target names, then <c>--flag value…</c> groups
/// (<c>--flag=value</c> works too). Types are applied later by <see cref="ParameterBinder"/>.
/// </summary>
public sealed record CommandLine(IReadOnlyList<string> Targets, IReadOnlyList<CommandLineFlag> Flags)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var flags = new List<CommandLineFlag>();
        CommandLineFlag? current = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var eq = arg.IndexOf('=');
                current = eq > 0
                    ? new CommandLineFlag(arg[..eq], [arg[(eq + 1)..]])
                    : new CommandLineFlag(arg, []);
                flags.Add(current);
                if (eq > 0) current = null;
            }
            else if (current is not null) current.Values.Add(arg);
            else targets.Add(arg);
        }
        return new CommandLine(targets, flags);
    }

    public CommandLineFlag? Find(string name) => Flags.LastOrDefault(f => Naming.Key(f.Name) == Naming.Key(name));
}

public sealed record CommandLineFlag(string Name, List<string> Values);

public static class CommandLineExtensions
{
    private static readonly HashSet<string> BoolWords = ["true", "false", "1", "0", "yes", "no", "on", "off"];

    /// <summary>
    /// Words after a switch that are not true/false are target names again: <c>--plan Deploy</c> plans Deploy.
    /// A word that is no target either (<c>--keep-on-error maybe</c>) is a value the switch does not take: a usage
    /// error naming the switch, rather than "unknown target 'maybe'" with an unrelated suggestion.
    /// </summary>
    public static CommandLine ReleaseSwitchValues(
        this CommandLine commandLine,
        ISet<string> switchKeys,
        Func<string, bool>? isTarget = null
    )
    {
        var targets = commandLine.Targets.ToList();
        var flags = new List<CommandLineFlag>();
        foreach (var flag in commandLine.Flags)
        {
            if (
                !switchKeys.Contains(Naming.Key(flag.Name))
                || flag.Values.All(v => BoolWords.Contains(v.ToLowerInvariant())) && flag.Values.Count <= 1
            )
            {
                flags.Add(flag);
                continue;
            }
            var keep = flag.Values.Take(1).Where(v => BoolWords.Contains(v.ToLowerInvariant())).ToList();
            var released = flag.Values.Skip(keep.Count).ToList();
            if (isTarget is not null && released.FirstOrDefault(w => !isTarget(w)) is { } word)
                throw new UsageException(
                    $"{flag.Name} is a switch: it takes no value, or true/false, and '{word}' is not a target either " +
                    $"(write {flag.Name} alone, or {flag.Name} false). See ./build.sh --help.");
            targets.AddRange(released);
            flags.Add(flag with { Values = keep });
        }
        return new CommandLine(targets, flags);
    }
}
