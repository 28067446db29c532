using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Packaging.Building;
using Pipeline.Packaging.Execution;
using Xunit;

namespace Pipeline.IntegrationTests.Packaging;

public class GitRevisionReaderTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
    private static readonly string[] AppInputs = ["apps/x"];

    [Fact]
    public async Task Before_the_first_commit_the_revision_is_the_fixed_uncommitted_one()
    {
        using var repository = await ScratchRepository.CreateAsync();

        (await new GitRevisionReader(repository.Path).ReadAsync(AppInputs, CancellationToken.None)).Should().Be(SourceRevision.Uncommitted);
    }

    [Fact]
    public async Task Is_the_last_commit_touching_the_app_with_its_time_and_clean()
    {
        using var repository = await ScratchRepository.CreateAsync();
        repository.Write("apps/x/a.txt", "one");
        var sha = await repository.CommitAsync("app", Time);
        repository.Write("other/b.txt", "unrelated");
        await repository.CommitAsync("unrelated", Time.AddHours(1));

        var revision = await new GitRevisionReader(repository.Path).ReadAsync(AppInputs, CancellationToken.None);

        revision.Should().Be(new SourceRevision(sha[..7], Time, Dirty: false));
    }

    [Theory]
    [InlineData("apps/x/a.txt", true)]
    [InlineData("apps/x/new.txt", true)]
    [InlineData("apps/x/bin/out.dll", false)]
    [InlineData("other/c.txt", false)]
    public async Task Is_dirty_when_the_app_inputs_differ_from_the_commit(string changed, bool dirty)
    {
        using var repository = await ScratchRepository.CreateAsync();
        repository.Write(".gitignore", "bin/\n");
        repository.Write("apps/x/a.txt", "one");
        await repository.CommitAsync("app", Time);

        repository.Write(changed, "changed");

        (await new GitRevisionReader(repository.Path).ReadAsync(AppInputs, CancellationToken.None)).Dirty.Should().Be(dirty);
    }

    [Fact]
    public async Task Lists_tracked_and_untracked_files_but_not_ignored_ones()
    {
        using var repository = await ScratchRepository.CreateAsync();
        repository.Write(".gitignore", "obj/\n");
        repository.Write("apps/x/a.txt", "one");
        await repository.CommitAsync("app", Time);
        repository.Write("apps/x/b.txt", "untracked");
        repository.Write("apps/x/obj/c.txt", "ignored");

        (await new GitRevisionReader(repository.Path).ListFilesAsync(AppInputs, CancellationToken.None))
            .Should().Equal("apps/x/a.txt", "apps/x/b.txt");
    }

    [Fact]
    public async Task Outside_a_git_repository_it_fails_with_one_line()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-no-git-").FullName;
        try
        {
            var read = () => new GitRevisionReader(folder).ReadAsync(AppInputs, CancellationToken.None);

            (await read.Should().ThrowAsync<PipelineException>())
                .Which.Message.Should()
                .EndWith("not a git repository (the package version comes from git)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
