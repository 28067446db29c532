using CliWrap;
using CliWrap.Buffered;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.Packaging;

/// <summary>A throw-away git repository in the system temp folder.</summary>
internal sealed class ScratchRepository : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pipeline-packaging-git-").FullName;

    public static async Task<ScratchRepository> CreateAsync()
    {
        var repository = new ScratchRepository();
        await repository.GitAsync("init", "--quiet", "--initial-branch=main");
        return repository;
    }

    public void Write(string relative, string content)
    {
        var path = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public async Task<string> CommitAsync(string message, DateTimeOffset time)
    {
        await GitAsync("add", "--all");
        var date = $"@{time.ToUnixTimeSeconds()} +0000";
        await Cli.Wrap("git")
            .WithArguments(["-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", message])
            .WithWorkingDirectory(Path)
            .WithEnvironment("GIT_AUTHOR_DATE", date)
            .WithEnvironment("GIT_COMMITTER_DATE", date)
            .RunBufferedAsync();
        return (await GitAsync("rev-parse", "HEAD")).StandardOutput.Trim();
    }

    public Task<BufferedCommandResult> GitAsync(params string[] arguments) =>
        Cli.Wrap("git").WithArguments(arguments).WithWorkingDirectory(Path).RunBufferedAsync();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
