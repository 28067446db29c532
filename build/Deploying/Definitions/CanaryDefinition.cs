using Pipeline.Definitions;
using Pipeline.Deploying.Canary;
using System.Globalization;

namespace Pipeline.Deploying.Definitions;

/// <summary>One canary step: the canary's share of the group's traffic, then an optional pause and an optional analysis.</summary>
public sealed record CanaryStep(int WeightPercent, TimeSpan? Pause, CanaryAnalysis? Analysis)
{
    /// <summary>Canary instances at this step (and as many baseline ones): the share of the group's count, at least one.</summary>
    public int Instances(int count) => Math.Max(1, (int)Math.Ceiling(count * WeightPercent / 100.0));

    public override string ToString() =>
        $"{WeightPercent}%{(Pause is { } p ? $" (pause {p.TotalSeconds:0}s)" : "")}{(Analysis is { } a ? $" (analysis {a.Name})" : "")}";
}

/// <summary>
/// <c>rolling: {strategy: canary, steps: […], analysis: {…}, log: host:port, baseline: true}</c> of a docker or ssh group behind
/// HAProxy: each step starts canary instances and as many fresh baseline instances of the running version beside the group,
/// shifts the step's share of traffic to each with <c>set weight</c>, and judges the canary against the baseline on the
/// requests HAProxy logs to <see cref="LogAddress"/>; after the last step the group is rolled as usual.
/// </summary>
public sealed record CanaryDefinition(IReadOnlyList<CanaryStep> Steps, string? LogAddress, bool Baseline)
{
    private static readonly string[] AnalysisKeys =
        ["significance", "min_samples", "max_wait", "error_budget", "latency_tolerance", .. CanaryQueryReader.Keys];
    internal static readonly string[] RollingKeys = ["strategy", "steps", "analysis", "log", "baseline"];

    public int MaxInstances(int count) => Steps.Max(s => s.Instances(count));

    /// <summary>The canary's (or the baseline's) own view of the group: its own names, containers and ports after the group's
    /// range (canary first, then baseline).</summary>
    public GroupDefinition View(GroupDefinition group, string role)
    {
        var offset = group.SlotRange + (role == "baseline" ? MaxInstances(group.Count) : 0);
        return group with
        {
            Name = $"{group.Name}-{role}",
            Count = MaxInstances(group.Count),
            Ports = group.Ports with { HostBase = group.Ports.HostBase + offset },
            Rolling = group.Rolling with { MaxSurge = 0 },
            Canary = null,
        };
    }

    /// <summary>Reads the canary keys of <c>rolling</c> (null for strategy: rolling, the default).</summary>
    /// <param name="monitoring">The environment's Prometheus (its <c>monitoring:</c> section), for queries without their own.</param>
    internal static CanaryDefinition? Read(DefinitionNode group, GroupDefinition definition, Func<Uri?> monitoring)
    {
        if (group.Optional("rolling") is not { } rolling) return null;
        var strategy = rolling.Optional("strategy")?.String() ?? "rolling";
        if (strategy == "rolling")
        {
            foreach (var key in RollingKeys.Skip(1))
                if (rolling.Optional(key) is { } stray) throw stray.Error("only for strategy: canary");
            return null;
        }
        if (strategy != "canary") throw rolling.Required("strategy").Error($"'{strategy}' is not a strategy: rolling or canary");
        if (definition.Provider is not (ProviderKind.Docker or ProviderKind.Ssh))
            throw rolling.Required("strategy").Error("a canary needs a docker or ssh group (a cloud group is rolled by its cloud)");
        if (definition.LoadBalancer is null)
            throw rolling.Required("strategy").Error("a canary needs load_balancer: haproxy (traffic is shifted with set weight)");
        if (definition.BlueGreen is not null) throw rolling.Required("strategy").Error("a blue/green group is switched, not a canary");
        if (definition.Ports.HostBase == 0) throw rolling.Required("strategy").Error("a canary needs ports/host_base");
        var analyses = new Dictionary<string, CanaryAnalysis> { ["default"] = CanaryAnalysis.Default };
        foreach (var (name, node) in rolling.Optional("analysis")?.Entries() ?? [])
            analyses[name] = CanaryQueryReader.Read(node, ReadAnalysis(name, node), monitoring);
        var baseline = rolling.Optional("baseline")?.Bool() ?? true;
        var stepsNode = rolling.Required("steps", "[{weight: 5%, pause: 2m}, {weight: 25%, analysis: default}]");
        if (!stepsNode.IsSequence || stepsNode.Items().Count == 0) throw stepsNode.Error("must be a list of steps, e.g. [{weight: 25%}]");
        var steps = stepsNode.Items().Select(s => ReadStep(s, analyses, baseline)).ToList();
        var log = rolling.Optional("log");
        if (log is null && steps.Any(s => s.Analysis is not null))
            throw rolling.Error("an analysed step needs log: the UDP host:port the group's HAProxy sends its request log to");
        if (log is not null && !IsLoopbackAddress(log.String()))
            throw log.Error($"'{log.String()}' must be a loopback host:port the build listens on, e.g. 127.0.0.1:25514");
        var canary = new CanaryDefinition(steps, log?.String(), baseline);
        if (definition.Ports.HostBase + definition.SlotRange + 2 * canary.MaxInstances(definition.Count) - 1 > 65535)
            throw group.Required("ports").Required("host_base").Error("the canary and baseline instances need ports after the group's");
        return canary;
    }

    private static CanaryStep ReadStep(DefinitionNode node, IReadOnlyDictionary<string, CanaryAnalysis> analyses, bool baseline)
    {
        node.AllowOnly("weight", "pause", "analysis");
        var weightNode = node.Required("weight", "the canary's share of traffic, e.g. 25%");
        var text = weightNode.String().Trim();
        if (!text.EndsWith('%') || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
            throw weightNode.Error($"'{text}' must be a percentage, e.g. 25%");
        if (weight is < 1 or > 100) throw weightNode.Error("must be between 1% and 100%");
        if (baseline && weight > 50)
            throw weightNode.Error("above 50% the baseline (which gets as much as the canary) would outweigh the group; "
                + "use at most 50%, or baseline: false");
        var pause = node.Optional("pause") is { } p ? GroupLoader.Positive(node, "pause", TimeSpan.Zero) : (TimeSpan?)null;
        CanaryAnalysis? analysis = null;
        if (node.Optional("analysis") is { } a && !analyses.TryGetValue(a.String(), out analysis))
            throw a.Error($"unknown analysis '{a.String()}': rolling/analysis defines {string.Join(", ", analyses.Keys.Order())}");
        if (analysis is not null && !baseline)
            throw node.Required("analysis").Error("an analysis compares the canary with its baseline: remove baseline: false");
        return new CanaryStep(weight, pause, analysis);
    }

    private static CanaryAnalysis ReadAnalysis(string name, DefinitionNode node)
    {
        node.AllowOnly(AnalysisKeys);
        var d = CanaryAnalysis.Default;
        return new CanaryAnalysis(name,
            Number(node.Optional("significance"), d.Significance, 1e-9, 0.5),
            node.Optional("min_samples")?.Int(20, 1_000_000) ?? d.MinSamples,
            GroupLoader.Positive(node, "max_wait", d.MaxWait),
            Number(node.Optional("error_budget"), d.ErrorBudget, 0, 1, percent: true),
            Number(node.Optional("latency_tolerance"), d.LatencyTolerance, 1, 100));
    }

    /// <summary>A decimal number (or, with <paramref name="percent"/>, a percentage such as 1% = 0.01) within bounds.</summary>
    internal static double Number(DefinitionNode? node, double fallback, double min, double max, bool percent = false)
    {
        if (node is null) return fallback;
        var text = node.String().Trim();
        var scale = percent && text.EndsWith('%') ? 0.01 : 1;
        if (!double.TryParse(scale < 1 ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw node.Error($"'{text}' must be a number{(percent ? " or a percentage" : "")}");
        value *= scale;
        return value >= min && value <= max ? value : throw node.Error($"must be between {min} and {max}");
    }

    private static bool IsLoopbackAddress(string text) =>
        text.LastIndexOf(':') is var colon and > 0 && System.Net.IPAddress.TryParse(text[..colon], out var ip)
        && System.Net.IPAddress.IsLoopback(ip) && int.TryParse(text[(colon + 1)..], CultureInfo.InvariantCulture, out var port)
        && port is >= 1 and <= 65535;
}
