using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Packaging;
using Pipeline.Packaging.Execution;
using Xunit;

namespace Pipeline.Tests.Packaging;

public sealed class ExecutionTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Publish_is_trimmed_self_contained_single_file_for_linux_x64_with_the_version_baked_in()
    {
        var arguments = PublishCommand.Arguments("apps/x/X.csproj", "1.0.0+gabc", "/out");

        arguments.Should().ContainInOrder("publish", "apps/x/X.csproj");
        arguments
            .Should()
            .Contain([
                "--self-contained",
                "-p:PublishSingleFile=true",
                "-p:PublishTrimmed=true",
                "-p:PublishReadyToRun=true",
                "-p:InformationalVersion=1.0.0+gabc",
            ]);
        arguments.Should().ContainInOrder("--runtime", "linux-x64").And.ContainInOrder("--output", "/out");
    }

    [Fact]
    public void The_inputs_hash_is_stable_and_follows_file_content_and_values()
    {
        File.WriteAllText(_directory["a.txt"], "one");
        var first = InputsHash.Compute(new(_directory.Path), ["a.txt"], ["sdk 10"]);

        InputsHash.Compute(new(_directory.Path), ["a.txt"], ["sdk 10"]).Should().Be(first);
        InputsHash.Compute(new(_directory.Path), ["a.txt"], ["sdk 11"]).Should().NotBe(first);
        File.WriteAllText(_directory["a.txt"], "two");
        InputsHash.Compute(new(_directory.Path), ["a.txt"], ["sdk 10"]).Should().NotBe(first);
    }

    [Fact]
    public void State_matches_only_the_same_inputs_with_the_output_unchanged()
    {
        File.WriteAllText(_directory["x.deb"], "deb");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("deb"u8.ToArray()));
        new PackageState("inputs", "x.deb", sha).Write(_directory["x.state"]);
        var state = PackageState.Read(_directory["x.state"])!;

        state.Matches("inputs", [_directory.Path]).Should().BeTrue();
        state.Matches("other", [_directory.Path]).Should().BeFalse();
        File.WriteAllText(_directory["x.deb"], "tampered");
        state.Matches("inputs", [_directory.Path]).Should().BeFalse();
    }

    [Fact]
    public void A_missing_state_file_reads_as_no_state() => PackageState.Read(_directory["none.state"]).Should().BeNull();

    [Fact]
    public void Atomic_writes_replace_the_whole_file_and_leave_no_temporary_file()
    {
        AtomicFile.Write(_directory["sub/f"], "old content"u8);
        AtomicFile.Write(_directory["sub/f"], "new"u8);

        File.ReadAllText(_directory["sub/f"]).Should().Be("new");
        Directory.GetFiles(_directory["sub"]).Should().ContainSingle();
    }
}
