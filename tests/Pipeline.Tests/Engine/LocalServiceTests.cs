using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;

namespace Pipeline.Tests.Engine;

/// <summary>Local services against the real dummy program (<c>dummy listen &lt;port&gt;</c>); ports 27100-27199.</summary>
public sealed class LocalServiceTests : IDisposable
{
    private readonly AbsolutePath _state = EngineHarness.NewRoot() / ".nuke" / "temp" / "services";
    private readonly LocalServiceManager _manager;
    private readonly List<Process> _foreign = [];

    public LocalServiceTests() => _manager = new LocalServiceManager(_state);

    private static LocalService Dummy(string name, int port, params string[] subcommand) =>
        new(
            name,
            DummyExe.DotnetHost,
            [DummyExe.DllPath, .. subcommand.Length > 0 ? subcommand : ["listen", port.ToString()]],
            ReadinessProbe.Tcp(port)
        );

    private static async Task<bool> LogShowsAsync(string log, string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!(File.Exists(log) && File.ReadAllText(log).Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }

    private int RecordedPid(string name) =>
        JsonDocument.Parse(File.ReadAllText(_state / $"{name}.pid.json")).RootElement.GetProperty("Pid").GetInt32();

    [Fact]
    public async Task A_service_starts_once_records_pid_and_log_and_stops_by_pid()
    {
        var service = Dummy("web", 27101);

        (await _manager.StartAsync(service, CancellationToken.None)).Should().BeTrue();
        var pid = RecordedPid("web");
        ProcessLiveness.IsAlive(pid).Should().BeTrue();
        // The dummy prints once its port is open, so the line may land just after StartAsync saw it ready.
        (await LogShowsAsync(_manager.LogFile("web"), "listening 27101", TimeSpan.FromSeconds(5)))
            .Should()
            .BeTrue("the service's output goes to its log");
        (await service.Probe.IsReadyAsync(CancellationToken.None)).Should().BeTrue();
        _manager.Running().Should().Equal("web");

        (await _manager.StartAsync(service, CancellationToken.None)).Should().BeFalse("a second start finds it running");
        RecordedPid("web").Should().Be(pid);

        await _manager.StopAsync("web", CancellationToken.None);
        (await ProcessLiveness.WaitUntilDeadAsync(pid, TimeSpan.FromSeconds(5))).Should().BeTrue();
        File.Exists(_state / "web.pid.json").Should().BeFalse();
        _manager.Running().Should().BeEmpty();
        (await ClosesWithinAsync(service, TimeSpan.FromSeconds(5))).Should().BeTrue("the port closes once the process is gone");
    }

    [Fact]
    public async Task A_service_does_not_inherit_a_descriptor_the_build_was_given_such_as_a_callers_flock()
    {
        var file = _state.Parent / "caller.lock";
        Directory.CreateDirectory(_state.Parent);
        var fd = open(file, 0x42, 0x180); // O_RDWR | O_CREAT, 0600, and no O_CLOEXEC: as a caller's flock leaves it
        fd.Should().BeGreaterThan(2);
        try
        {
            (await _manager.StartAsync(Dummy("held", 27143), CancellationToken.None)).Should().BeTrue();
            var pid = RecordedPid("held");

            Directory.GetFileSystemEntries($"/proc/{pid}/fd")
                .Select(d => new FileInfo(d).LinkTarget)
                .Should()
                .NotContain((string)file, "a service outlives the build and would hold the caller's lock");
        }
        finally
        {
            _ = close(fd);
        }
    }

    [Fact]
    public async Task A_service_starts_for_an_endpoint_at_its_owned_address_and_not_for_loopback_on_another_port()
    {
        var service = Dummy("owned", 27141) with { Addresses = [OwnedAddress.Tcp(27141)] };

        (await _manager.StartIfOwnedAsync(service, ["http://127.0.0.1:27142"], CancellationToken.None)).Should().BeFalse();
        _manager.Running().Should().BeEmpty();
        (await _manager.StartIfOwnedAsync(service, ["https://s3.example.test", "http://127.0.0.1:27141/"], CancellationToken.None))
            .Should()
            .BeTrue();
        _manager.Running().Should().Equal("owned");
    }

    [Fact]
    public async Task Before_start_runs_only_when_the_process_is_launched_not_when_it_already_runs()
    {
        var prepared = 0;
        var service = Dummy("prepared", 27131) with { BeforeStart = () => prepared++ };

        await _manager.StartAsync(service, CancellationToken.None);
        await _manager.StartAsync(service, CancellationToken.None);
        await _manager.StopAsync("prepared", CancellationToken.None);

        prepared.Should().Be(1);
    }

    /// <summary>
    /// The thread-group leader shows as a zombie a moment before the last thread of an exiting .NET process closes
    /// its sockets, so the port is polled rather than asked once.
    /// </summary>
    private static async Task<bool> ClosesWithinAsync(LocalService service, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (await service.Probe.IsReadyAsync(CancellationToken.None))
        {
            if (watch.Elapsed > within) return false;
            await Task.Delay(50);
        }
        return true;
    }

    [Fact]
    public async Task A_service_that_exits_before_answering_fails_with_the_tail_of_its_log()
    {
        var service = Dummy("broken", 27102, "fail", "3", "25");

        var act = () => _manager.StartAsync(service, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<PipelineException>()).Which;
        error
            .Message.Should()
            .Contain("broken exited before answering at 127.0.0.1:27102")
            .And.Contain("error line 25")
            .And.NotContain("error line 5\n");
        File.Exists(_state / "broken.pid.json").Should().BeFalse();
    }

    [Fact]
    public async Task A_service_that_never_answers_is_stopped_after_its_start_timeout()
    {
        var service = Dummy("mute", 27103, "sleep", "60000") with { StartTimeout = TimeSpan.FromSeconds(1) };

        var act = () => _manager.StartAsync(service, CancellationToken.None);

        (await act.Should().ThrowAsync<PipelineException>())
            .Which.Message.Should()
            .Contain("mute did not answer at 127.0.0.1:27103 within 1s");
        _manager.Running().Should().BeEmpty();
    }

    [Fact]
    public async Task A_recycled_pid_is_never_killed()
    {
        var foreign = StartForeign("sleep", "60000");
        var realStart = ProcessIdentity.Of(foreign.Id)!.StartTicks;
        Directory.CreateDirectory(_state);
        File.WriteAllText(
            _state / "stale.pid.json",
            JsonSerializer.Serialize(
                new
                {
                    Pid = foreign.Id,
                    StartTicks = realStart - 1,
                    Executable = "/bin/stale",
                    Arguments = Array.Empty<string>(),
                    StartedAt = DateTimeOffset.UtcNow,
                }
            )
        );

        _manager.Running().Should().BeEmpty();
        await _manager.StopAsync("stale", CancellationToken.None);
        await _manager.StopAllAsync(CancellationToken.None);

        ProcessLiveness.IsAlive(foreign.Id).Should().BeTrue();
        File.Exists(_state / "stale.pid.json").Should().BeFalse("the stale record is forgotten");
    }

    [Fact]
    public async Task A_recorded_service_that_does_not_answer_is_replaced_not_duplicated()
    {
        var hung = StartForeign("sleep", "60000");
        Directory.CreateDirectory(_state);
        File.WriteAllText(
            _state / "replaced.pid.json",
            JsonSerializer.Serialize(
                new
                {
                    Pid = hung.Id,
                    ProcessIdentity.Of(hung.Id)!.StartTicks,
                    Executable = "dummy",
                    Arguments = Array.Empty<string>(),
                    StartedAt = DateTimeOffset.UtcNow,
                }
            )
        );
        var service = Dummy("replaced", 27110) with { StartTimeout = TimeSpan.FromSeconds(1) };

        (await _manager.StartAsync(service, CancellationToken.None)).Should().BeTrue();

        (await ProcessLiveness.WaitUntilDeadAsync(hung.Id, TimeSpan.FromSeconds(5)))
            .Should()
            .BeTrue("the hung copy was ours and is stopped");
        RecordedPid("replaced").Should().NotBe(hung.Id);
        (await service.Probe.IsReadyAsync(CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task Down_stops_only_what_this_build_started()
    {
        var foreign = StartForeign("listen", "27105");
        var foreignService = Dummy("foreign", 27105);
        await WaitUntilAsync(() => foreignService.Probe.IsReadyAsync(CancellationToken.None));
        var ours = Dummy("ours", 27104);

        await _manager.StartAllAsync([ours, foreignService], CancellationToken.None);
        var pid = RecordedPid("ours");
        File.Exists(_state / "foreign.pid.json").Should().BeFalse("something else already answered there");

        await _manager.StopAllAsync(CancellationToken.None);

        (await ProcessLiveness.WaitUntilDeadAsync(pid, TimeSpan.FromSeconds(5))).Should().BeTrue();
        ProcessLiveness.IsAlive(foreign.Id).Should().BeTrue();
        (await foreignService.Probe.IsReadyAsync(CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task Stop_of_an_unknown_service_and_Down_without_state_do_nothing()
    {
        await _manager.StopAsync("never-started", CancellationToken.None);
        await _manager.StopAllAsync(CancellationToken.None);
        _manager.Running().Should().BeEmpty();
    }

    [Fact]
    public async Task A_service_whose_tool_is_missing_fails_naming_the_install_command()
    {
        var service = Dummy("tooled", 27106) with { Tools = [Tool.Apt("pipeline-no-such-daemon", "pipeline-daemon-pkg")] };
        var act = () => _manager.StartAsync(service, CancellationToken.None);
        (await act.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("sudo apt-get install -y pipeline-daemon-pkg");
    }

    [Fact]
    public async Task Probes_answer_for_tcp_unix_sockets_and_http()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 27107);
        listener.Start();
        (await ReadinessProbe.Tcp(27107).IsReadyAsync(CancellationToken.None)).Should().BeTrue();
        (await ReadinessProbe.Tcp(27108).IsReadyAsync(CancellationToken.None)).Should().BeFalse();
        (await ReadinessProbe.UnixSocket(_state / "none.sock").IsReadyAsync(CancellationToken.None)).Should().BeFalse();
        (await ReadinessProbe.Http("http://127.0.0.1:27108/").IsReadyAsync(CancellationToken.None)).Should().BeFalse();

        var web = Dummy("http", 27109);
        await _manager.StartAsync(web, CancellationToken.None);
        (await ReadinessProbe.Http("http://127.0.0.1:27109/health").IsReadyAsync(CancellationToken.None)).Should().BeTrue();
    }

    private Process StartForeign(params string[] subcommand)
    {
        var start = new ProcessStartInfo(DummyExe.DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(DummyExe.DllPath);
        foreach (var a in subcommand) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        _foreign.Add(process);
        return process;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException("condition never held");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        foreach (var p in _foreign)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        _manager.StopAllAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags, int mode);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
