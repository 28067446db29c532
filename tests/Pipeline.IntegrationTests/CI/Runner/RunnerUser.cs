using CliWrap;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// The user that runs a job's steps, as a hosted runner's image has one: not root, with passwordless sudo (a rule in
/// /etc/sudoers.d), and the group that may use the machine's Docker engine. Steps run as root would hide what a runner's
/// user cannot do (debootstrap, for one, refuses anyone but root). Made for a test run and removed after it.
/// </summary>
public sealed record RunnerUser(string Name)
{
    private string SudoersFile => $"/etc/sudoers.d/{Name}";

    /// <summary>Creates the user (a system user without a home: each machine gives it one) and its sudo rule.</summary>
    public static async Task<RunnerUser> CreateAsync(string name, CancellationToken ct)
    {
        var user = new RunnerUser(name);
        await user.RemoveAsync(ct);
        await Cli.Wrap("useradd").WithArguments(["--system", "--user-group", "--no-create-home", "--shell", "/bin/bash", name])
            .RunBufferedAsync(ct);
        await File.WriteAllTextAsync(user.SudoersFile, $"{name} ALL=(ALL:ALL) NOPASSWD:ALL\n", ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(user.SudoersFile, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        return user;
    }

    /// <summary>The argv that runs <paramref name="argv"/> as this user, with its groups, keeping the environment as given.</summary>
    public string[] Run(params string[] argv) => ["setpriv", "--reuid", Name, "--regid", Name, "--init-groups", .. argv];

    /// <summary>Gives <paramref name="paths"/> (recursively) to this user: what the runner itself put in a machine's folders.</summary>
    public Task GiveAsync(CancellationToken ct, params string[] paths) =>
        Cli.Wrap("chown").WithArguments(["-R", "--no-dereference", $"{Name}:{Name}", .. paths]).RunBufferedAsync(ct);

    /// <summary>Ends what the user's steps left running (a compiler server, say), then removes the user and its rule.</summary>
    public async Task RemoveAsync(CancellationToken ct)
    {
        File.Delete(SudoersFile);
        await Cli.Wrap("pkill").WithArguments(["-KILL", "-u", Name]).WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
        await Cli.Wrap("userdel").WithArguments(["--force", Name]).WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
    }
}
