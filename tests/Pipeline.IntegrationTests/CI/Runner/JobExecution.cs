using CliWrap;
using Pipeline.Tools.Process;
using System.Text;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// One job on a fresh machine: its steps in order (a failed step fails the job, and only steps whose <c>if:</c> asks for
/// it run after that), <c>$GITHUB_ENV</c> and <c>$GITHUB_OUTPUT</c> read back after each step, and the caches its
/// cache steps did not hit saved when the job ends (the action's post step). The log masks every secret, as GitHub's does.
/// </summary>
internal sealed class JobExecution(RunContext run, WorkflowJob job, Dictionary<string, string?> contexts)
{
    private readonly StringBuilder _log = new();
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string> _secrets = new Dictionary<string, string>();
    private readonly List<Func<CancellationToken, Task>> _post = [];
    private StreamWriter? _file;

    public WorkflowJob Job => job;
    public RunContext Run => run;
    public RunnerMachine Machine { get; private set; } = null!;
    public bool Succeeded { get; private set; } = true;
    public IDictionary<string, string> Env => _env;

    public async Task<JobResult> RunAsync(CancellationToken ct)
    {
        await using var machine = Machine = await RunnerMachine.StartAsync(
            run.Folder, run.Https, run.Settings.Reachable, run.Settings.StepUser, ct);
        await using var file = _file = new StreamWriter(Path.Combine(run.Folder, $"{job.Id}.log")) { AutoFlush = true };
        _secrets = run.Settings.SecretsOf(job.Environment);
        var forwards = run.Settings.ForwardedPorts.Select(p => new HostForward(machine.Name, p)).ToList();
        if (run.Https is { } https) forwards.Add(new HostForward(machine.Name, 443, https.OpenAsync));
        foreach (var (inside, here) in run.Settings.MappedPorts)
            forwards.Add(new HostForward(machine.Name, inside, (s, _) => Task.FromResult<(Stream, int)?>((s, here))));
        try
        {
            Write($"## job {job.Id} on {machine.Name} (engine {machine.DockerHost})");
            foreach (var step in job.Steps)
            {
                var scope = Scope();
                if (!WorkflowExpression.Runs(step.If, scope)) continue;
                Write($"## step: {step.Name}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var ok = step.Uses is not null
                    ? await RunnerActions.RunAsync(this, step, scope, ct)
                    : await RunScriptAsync(step, scope, ct);
                // What an action put on the machine (a checkout, a restored cache, artifacts) is the steps' user's.
                if (ok && step.Uses is not null) await Machine.GiveToStepsAsync(ct);
                Write($"## step {(ok ? "done" : "failed")} in {clock.Elapsed.TotalSeconds:0.0} s: {step.Name}");
                if (!ok) Succeeded = false;
            }
            foreach (var post in _post) await post(ct);
        }
        finally
        {
            foreach (var forward in forwards) await forward.DisposeAsync();
        }
        return new JobResult(job.Id, Succeeded ? "success" : "failure", _log.ToString());
    }

    /// <summary>What expressions in this job read now: the run's contexts, secrets, step outputs and env.</summary>
    public WorkflowExpression.Scope Scope()
    {
        var values = new Dictionary<string, string?>(contexts) { ["runner.temp"] = Machine.Temp };
        foreach (var (name, value) in _secrets) values[$"secrets.{name}"] = value;
        foreach (var (name, value) in _env) values[$"env.{name}"] = value;
        return new WorkflowExpression.Scope(values)
        {
            Succeeded = Succeeded,
            Failed = !Succeeded,
            HashFiles = HashFiles.Of(Machine.Workspace),
        };
    }

    public void Output(string step, string name, string value) => contexts[$"steps.{step}.outputs.{name}"] = value;

    public void AtEnd(Func<CancellationToken, Task> post) => _post.Add(post);

    /// <summary>Appends to the job's log, and to <c>&lt;job&gt;.log</c> in the run's folder as it goes.</summary>
    public void Write(string text)
    {
        foreach (var secret in _secrets.Values.Where(s => s.Length > 3)) text = text.Replace(secret, "***");
        lock (_log)
        {
            _log.AppendLine(text);
            _file?.WriteLine(text);
        }
    }

    /// <summary>The variables every step gets: the runner's own, then those earlier steps wrote to $GITHUB_ENV.</summary>
    public Dictionary<string, string> StepEnvironment(WorkflowStep step, WorkflowExpression.Scope scope, string files)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = Machine.Home,
            ["LANG"] = "C.UTF-8",
            ["CI"] = "true",
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_WORKSPACE"] = Machine.Workspace,
            ["GITHUB_EVENT_NAME"] = run.Trigger.Name,
            ["GITHUB_REF"] = run.Trigger.Ref,
            ["GITHUB_SHA"] = run.Commit,
            ["GITHUB_RUN_ID"] = run.RunId,
            ["GITHUB_JOB"] = job.Id,
            ["GITHUB_REPOSITORY"] = run.Settings.GitHubRepository,
            ["GITHUB_SERVER_URL"] = run.Settings.ServerUrl,
            ["GITHUB_ENV"] = Path.Combine(files, "env"),
            ["GITHUB_OUTPUT"] = Path.Combine(files, "output"),
            ["RUNNER_OS"] = "Linux",
            ["RUNNER_TEMP"] = Machine.Temp,
            ["DOCKER_HOST"] = Machine.DockerHost,
        };
        if (run.Https is { } https) env["SSL_CERT_FILE"] = https.TrustBundle;
        foreach (var (name, value) in run.Settings.MachineEnvironment) env[name] = value;
        foreach (var (name, value) in _env) env[name] = value;
        foreach (var (name, value) in step.Env) env[name] = WorkflowExpression.Interpolate(value, scope);
        return env;
    }

    private async Task<bool> RunScriptAsync(WorkflowStep step, WorkflowExpression.Scope scope, CancellationToken ct)
    {
        var files = Directory.CreateDirectory(Path.Combine(Machine.Folder, "files", Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var env = StepEnvironment(step, scope, files);
            File.WriteAllText(env["GITHUB_ENV"], "");
            File.WriteAllText(env["GITHUB_OUTPUT"], "");
            var text = WorkflowExpression.Interpolate(step.Run!, scope);
            if (run.Settings.RewriteRun is { } rewrite) text = rewrite(job.Id, text);
            var script = Path.Combine(files, "script.sh");
            File.WriteAllText(script, text);
            await Machine.GiveToStepsAsync(ct, files);
            var result = await Machine.Command(env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
                .WithStandardOutputPipe(ProcessText.Lines(Write)).WithStandardErrorPipe(ProcessText.Lines(Write)).RunAsync(ct);
            foreach (var (name, value) in CommandFiles.Read(env["GITHUB_ENV"])) _env[name] = value;
            if (step.Id is not null)
                foreach (var (name, value) in CommandFiles.Read(env["GITHUB_OUTPUT"])) Output(step.Id, name, value);
            return result.ExitCode == 0;
        }
        finally { Directory.Delete(files, recursive: true); }
    }
}
