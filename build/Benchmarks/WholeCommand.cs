using CliWrap;
using Pipeline.Engine;

namespace Pipeline.Benchmarks;

/// <summary>
/// A user's command timed as a whole process, start-up, dependency chain and all: <c>./build.sh &lt;args&gt;</c> in the
/// repository, beside the peer's own command, in alternation (ours, peer, ours, …) so that drift on the machine falls on
/// both. What a goal is judged on; the in-process figures only show where the time goes.
/// </summary>
/// <param name="Ours">The user's command, e.g. <c>./build.sh Images</c>.</param>
/// <param name="Peer">The peer's command, doing the same job.</param>
/// <param name="Goal">The most the ratio ours / peer (medians) may be.</param>
public sealed record WholeCommand(Measurement Ours, Measurement Peer, double Goal)
{
    public double Ratio => BenchmarkReport.Ratio(Ours, Peer);

    /// <summary><c>./build.sh</c> with <paramref name="arguments"/>, run from the root with the build's own environment.</summary>
    public static Command BuildSh(AbsolutePath root, params string[] arguments) =>
        Cli.Wrap(root / "build.sh").WithArguments(arguments).WithWorkingDirectory(root);

    /// <summary>Runs each command once (warm), then <paramref name="runs"/> times each, alternating.</summary>
    public static async Task<WholeCommand> MeasureAsync(
        (string Name, Func<CancellationToken, Task> Run) ours,
        (string Name, Func<CancellationToken, Task> Run) peer,
        int runs,
        double goal,
        CancellationToken ct
    )
    {
        await ours.Run(ct);
        await peer.Run(ct);
        Log.Information($"Measuring {ours.Name} beside {peer.Name}, alternating, {runs} runs each…");
        var (a, b) = (new List<TimeSpan>(), new List<TimeSpan>());
        for (var i = 0; i < runs; i++)
        {
            a.AddRange((await Measurement.TakeAsync(ours.Name, 1, ours.Run, ct)).Samples);
            b.AddRange((await Measurement.TakeAsync(peer.Name, 1, peer.Run, ct)).Samples);
        }
        var whole = new WholeCommand(new Measurement(ours.Name, a), new Measurement(peer.Name, b), goal);
        Log.Information($"whole command: {whole.Ratio:0.000} × {peer.Name} (goal ≤ {goal})");
        return whole;
    }
}
