using Pipeline.Engine.Graph;
using Pipeline.Engine.Logging;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Reports;

namespace Pipeline.Engine;

/// <summary>
/// One run of a build: command line → graph → parameters → plan → execution → summary.
/// Everything that can be checked is checked before any target runs; usage errors exit 2.
/// </summary>
public sealed class BuildHost(BuildHostOptions options)
{
    public async Task<int> RunAsync(PipelineBuild build, Func<PipelineBuild, Target> defaultTarget)
    {
        var session = new BuildSession([]);
        session.Activate();
        CredentialVariables.Register(options.Environment, session.Secrets);
        build.EnvironmentVariables = options.Environment;
        FileSink? file = null;
        try
        {
            build.RootDirectory = options.Root ?? RootLocator.Find(options.Environment);
            var graph = TargetGraph.Create(build);
            build.AllTargets = graph.Targets;
            var parameters = ParameterInfo.Discover(build.GetType());
            var commandLine = CommandLine
                .Parse(options.Arguments)
                .ReleaseSwitchValues(parameters.Where(p => p.IsSwitch).Select(p => Naming.Key(p.Name)).ToHashSet(), n =>
                    graph.Find(n) is not null
                );
            // --profile a,b and --profile a b both name two profiles, as PIPELINE_PROFILE="a,b" does.
            var profiles = (commandLine.Find(nameof(PipelineBuild.Profile))?.Values
                    ?? (options.Environment.TryGetValue("PIPELINE_PROFILE", out var p) ? [p] : []))
                .SelectMany(v => v.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            new ParameterBinder(parameters, options.Environment, build.RootDirectory, session.Secrets)
                .Bind(build, commandLine, profiles);
            // The plan, then the build's own inputs (the definition files its parameters and planned targets name), all
            // checked before anything is written or run.
            // An unknown target is reported once the log is open (it is about the command, not the inputs), so a run
            // that names one checks the inputs without a plan.
            var unmet = new List<string>();
            UsageException? unknownTarget = null;
            if (!build.Help)
            {
                try
                {
                    var invoked = ResolveInvoked(graph, commandLine.Targets.Concat(build.Targets).ToList(), defaultTarget, build);
                    build.ExecutionPlan = ExecutionPlanner.Plan(graph, invoked);
                    unmet = PlanChecks.Apply(build.ExecutionPlan, invoked, build.Skip, graph, parameters).ToList();
                }
                catch (UsageException e) { unknownTarget = e; }
                if (unknownTarget is null && !build.PlanOnly) WarmUp(build);
                build.ValidateInputs();
            }

            session.AddSinks(new ConsoleSink(options.Output, build.Verbosity, options.IsTerminal, build.IsGitHubActions));
            if (!build.Help)
            {
                file = new FileSink(build.TemporaryDirectory / "build.log");
                session.AddSinks(file);
            }
            session.AddSinks(options.ExtraSinks);

            if (build.Help)
            {
                var defaults = (PipelineBuild)Activator.CreateInstance(build.GetType())!;
                Raw(session, HelpWriter.Write(graph, parameters, defaults, Name(defaultTarget(build), build)));
                return ExitCodes.Success;
            }
            if (!build.NoLogo && build.Verbosity >= Verbosity.Normal) Raw(session, Logo);
            if (unknownTarget is not null) throw unknownTarget;

            var plan = build.ExecutionPlan;

            if (build.PlanOnly)
            {
                // Planning runs nothing, so unmet requirements are shown as what a run would need, not an error.
                var page = build.ArtifactsDirectory / "plan.html";
                MaskedFile.WriteAllText(page, PlanPage.Render(graph, plan));
                Raw(session, PlanPage.Text(plan) + $"Wrote {page.RelativeTo(build.RootDirectory)}{Environment.NewLine}");
                foreach (var requirement in unmet) Log.Warning($"To run this plan: {requirement}");
                return ExitCodes.Success;
            }
            if (unmet.Count > 0) throw new UsageException(string.Join(Environment.NewLine, unmet));

            var code = await new BuildExecutor(options, session).ExecuteAsync(plan);
            foreach (var sink in session.Sinks) sink.WriteReport(colour => session.Secrets.Mask(Summary.Render(plan, code, colour)));
            foreach (var line in session.ClosingLines) Raw(session, line + Environment.NewLine);
            return code == ExitCodes.Success ? build.SuccessExitCode : code;
        }
        catch (PipelineException e)
        {
            // Usage errors (exit 2) and the few failures possible before any target runs (e.g. no writable log file).
            var message = session.Secrets.Mask(e.Message);
            if (session.Sinks.Count == 0) options.Output.WriteLine($"error: {message}");
            else Log.Error(message);
            return e.ExitCode;
        }
        finally
        {
            session.Deactivate();
            file?.Dispose();
        }
    }

    /// <summary>The build's warm-ups, then the summary table's renderer (needed last), on one thread-pool thread while the
    /// run goes on: one thread, so that the warm-ups take an idle core and not the run's.</summary>
    private static void WarmUp(PipelineBuild build)
    {
        _ = Task.Run(async () =>
        {
            try { await build.WarmUpAsync(); }
            catch (Exception) { } // a warm-up only saves time; what it met, the targets meet and report
            Summary.WarmUp();
        });
    }

    private static List<ExecutableTarget> ResolveInvoked(
        TargetGraph graph, List<string> names, Func<PipelineBuild, Target> defaultTarget, PipelineBuild build)
    {
        if (names.Count == 0) names.Add(Name(defaultTarget(build), build));
        return names
            .Select(n =>
                graph.Find(n)
                ?? throw new UsageException(
                    $"Unknown target '{n}'.{Suggestions.DidYouMean(n, graph.Targets.Where(t => !t.IsUnlisted).Select(t => t.Name), anyDistance: true)} See ./build.sh --help."
                )
            )
            .Distinct()
            .ToList();
    }

    private static string Name(Target target, PipelineBuild build) =>
        build
            .GetType()
            .GetProperties(
                System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
            )
            .First(p =>
                p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0 && ((Target)p.GetValue(build)!).Equals(target)
            )
            .Name;

    private static void Raw(BuildSession session, string text)
    {
        var masked = session.Secrets.Mask(text);
        foreach (var sink in session.Sinks) sink.WriteRaw(masked);
    }

    private const string Logo = """

          ┌─┐┬┌─┐┌─┐┬  ┬┌┐┌┌─┐
          ├─┘│├─┘├┤ │  ││││├┤
          ┴  ┴┴  └─┘┴─┘┴┘└┘└─┘

        """;
}
