using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Engine.Services;

/// <summary>
/// Starts named service processes idempotently, waits until they answer, records pid and log under
/// <c>.nuke/temp/services/</c>, and stops only what it started, by recorded pid and start time.
/// </summary>
public sealed class LocalServiceManager(AbsolutePath stateDirectory)
{
    public AbsolutePath LogFile(string name) => stateDirectory / $"{name}.log";
    private AbsolutePath PidFile(string name) => stateDirectory / $"{name}.pid.json";

    public async Task StartAllAsync(IEnumerable<LocalService> services, CancellationToken ct)
    {
        foreach (var service in services) await StartAsync(service, ct);
    }

    /// <summary>
    /// Starts <paramref name="service"/> when one of <paramref name="endpoints"/> (those a planned target is about to use)
    /// is an address the service owns; otherwise leaves it alone. Returns whether the service is meant (and now answers).
    /// </summary>
    public Task<bool> StartIfOwnedAsync(LocalService service, IEnumerable<string?> endpoints, CancellationToken ct) =>
        StartIfOwnedAsync(service.Addresses, () => service, endpoints, ct);

    /// <summary>
    /// As above, for a service whose spec has side effects (config files): it is made only when one of its
    /// <paramref name="addresses"/> is meant and no process already answers at a meant socket (a socket has one owner:
    /// a second process would take it over).
    /// </summary>
    public async Task<bool> StartIfOwnedAsync(
        IReadOnlyList<OwnedAddress> addresses,
        Func<LocalService> service,
        IEnumerable<string?> endpoints,
        CancellationToken ct
    )
    {
        var meant = addresses.Where(a => endpoints.Any(a.Matches)).ToList();
        if (meant.Count == 0) return false;
        foreach (var socket in meant.Where(a => a.Socket is not null))
        {
            if (!await socket.Probe.IsReadyAsync(ct)) continue;
            Log.Information($"Something already answers at {socket}: using it.");
            return true;
        }
        await StartAsync(service(), ct);
        return true;
    }

    /// <summary>Returns true when this call started the process, false when it was already answering.</summary>
    public async Task<bool> StartAsync(LocalService service, CancellationToken ct)
    {
        // Builds and test processes may start the same service at the same moment: one at a time decides.
        using var startLock = await LockAsync(service, ct);
        return await StartLockedAsync(service, ct);
    }

    private async Task<bool> StartLockedAsync(LocalService service, CancellationToken ct)
    {
        if (Recorded(service.Name) is { IsAlive: true } recorded)
        {
            if (await WaitUntilReadyAsync(service, recorded, ct))
            {
                Log.Information($"{service.Name} is already running ({service.Probe.Describe()}).");
                return false;
            }
            // Ours, but hung or answering elsewhere: replace it rather than start a second copy beside it.
            Log.Warning($"{service.Name} (pid {recorded.Pid}) runs but does not answer at {service.Probe.Describe()}; restarting it.");
            await StopAsync(service.Name, ct);
        }
        if (await service.Probe.IsReadyAsync(ct))
        {
            Log.Information(
                $"{service.Name}: something already answers at {service.Probe.Describe()} (not started by this build); using it."
            );
            return false;
        }
        var missing = ToolCheck.Missing(service.Tools);
        if (missing.Count > 0)
            throw new PipelineException(
                $"{service.Name} needs {string.Join(", ", missing.Select(t => t.Command))}: run ./build.sh Prerequisites as root, or "
                + $"{ToolCheck.InstallCommands(missing)}"
            );

        service.BeforeStart?.Invoke();
        stateDirectory.CreateDirectory();
        var log = LogFile(service.Name);
        var identity = Launch(service, log);
        await File.WriteAllTextAsync(PidFile(service.Name), JsonSerializer.Serialize(
            new PidRecord(identity.Pid, identity.StartTicks, service.Executable, [.. service.Arguments], DateTimeOffset.UtcNow),
            PidRecordJson.Default.PidRecord), ct);
        Log.Information($"Started {service.Name} (pid {identity.Pid}), waiting for {service.Probe.Describe()}; log: {log}");

        var deadline = Stopwatch.StartNew();
        while (!await service.Probe.IsReadyAsync(ct))
        {
            if (!identity.IsAlive)
            {
                File.Delete(PidFile(service.Name));
                throw new PipelineException(
                    $"{service.Name} exited before answering at {service.Probe.Describe()}. Last log lines:{Environment.NewLine}{Tail(log)}"
                );
            }
            if (deadline.Elapsed > service.StartTimeout)
            {
                await StopAsync(service.Name, ct);
                throw new PipelineException(
                    $"{service.Name} did not answer at {service.Probe.Describe()} within {service.StartTimeout.TotalSeconds:0}s. Last log "
                    + $"lines:{Environment.NewLine}{Tail(log)}"
                );
            }
            await Task.Delay(100, ct);
        }
        Log.Information($"{service.Name} is ready ({deadline.Elapsed.TotalSeconds:0.0}s).");
        return true;
    }

    /// <summary>An exclusive lock on <c>&lt;name&gt;.lock</c> (flock underneath), held while one process starts the service.</summary>
    private async Task<FileStream> LockAsync(LocalService service, CancellationToken ct)
    {
        stateDirectory.CreateDirectory();
        var path = stateDirectory / $"{service.Name}.lock";
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (watch.Elapsed < service.StartTimeout + TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100, ct);
            }
            catch (IOException e)
            {
                throw new PipelineException(
                    $"{service.Name}: another build process held {path} for {watch.Elapsed.TotalSeconds:0} s while starting it "
                    + $"({e.Message}); is one stuck? The lock ends with that process."
                );
            }
        }
    }

    /// <summary>Waits while the recorded process lives, up to its start timeout, for it to answer.</summary>
    private static async Task<bool> WaitUntilReadyAsync(LocalService service, ProcessIdentity process, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (process.IsAlive && watch.Elapsed <= service.StartTimeout)
        {
            if (await service.Probe.IsReadyAsync(ct)) return true;
            await Task.Delay(100, ct);
        }
        return false;
    }

    public async Task StopAllAsync(CancellationToken ct)
    {
        if (!Directory.Exists(stateDirectory)) { Log.Information("No local services were started."); return; }
        foreach (var file in Directory.GetFiles(stateDirectory, "*.pid.json").Order())
            await StopAsync(Path.GetFileName(file)[..^".pid.json".Length], ct);
    }

    /// <summary>Stops the named service if this build started it and it still runs; otherwise only forgets it.</summary>
    public async Task StopAsync(string name, CancellationToken ct)
    {
        var identity = Recorded(name);
        if (identity is { IsAlive: true })
        {
            identity.Signal(ProcessIdentity.SIGTERM);
            var watch = Stopwatch.StartNew();
            while (identity.IsAlive && watch.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(100, ct);
            if (identity.IsAlive) identity.Signal(ProcessIdentity.SIGKILL);
            Log.Information($"Stopped {name} (pid {identity.Pid}).");
        }
        else if (identity is not null) Log.Information($"{name} (pid {identity.Pid}) was no longer running.");
        if (File.Exists(PidFile(name))) File.Delete(PidFile(name));
    }

    public IReadOnlyList<string> Running() =>
        !Directory.Exists(stateDirectory) ? [] :
        Directory.GetFiles(stateDirectory, "*.pid.json").Select(f => Path.GetFileName(f)[..^".pid.json".Length])
            .Where(n => Recorded(n) is { IsAlive: true }).Order().ToList();

    private ProcessIdentity? Recorded(string name)
    {
        var file = PidFile(name);
        if (!File.Exists(file)) return null;
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllText(file), PidRecordJson.Default.PidRecord);
            return record is null ? null : new ProcessIdentity(record.Pid, record.StartTicks);
        }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// setsid makes the service its own process group (so the build's exit or Ctrl-C does not reach it, and Down
    /// can signal the whole group); sh only redirects output and execs the service in place, argv passed as-is.
    /// </summary>
    private static ProcessIdentity Launch(LocalService service, AbsolutePath log)
    {
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = service.WorkingDirectory ?? "" };
        foreach (var a in (string[])["sh", "-c", "exec \"$0\" \"$@\" </dev/null >>\"$PIPELINE_SERVICE_LOG\" 2>&1", service.Executable])
            start.ArgumentList.Add(a);
        foreach (var a in service.Arguments) start.ArgumentList.Add(a);
        start.Environment["PIPELINE_SERVICE_LOG"] = log;
        foreach (var (k, v) in service.Environment) start.Environment[k] = v;
        InheritedDescriptors.CloseOnExec();
        using var process = Process.Start(start) ?? throw new PipelineException($"Could not start {service.Name}.");
        return ProcessIdentity.Of(process.Id) ?? throw new PipelineException($"{service.Name} exited at once; see {log}");
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join(Environment.NewLine, File.ReadLines(path).TakeLast(20)) : "(no log)";

    internal sealed record PidRecord(int Pid, long StartTicks, string Executable, string[] Arguments, DateTimeOffset StartedAt);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(LocalServiceManager.PidRecord))]
internal sealed partial class PidRecordJson : System.Text.Json.Serialization.JsonSerializerContext;
