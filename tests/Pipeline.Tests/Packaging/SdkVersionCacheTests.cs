using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Packaging.Execution;
using Xunit;

namespace Pipeline.Tests.Packaging;

public sealed class SdkVersionCacheTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private AbsolutePath Root => new(_temp.Path);
    private SdkVersionCache Cache => new(Root / "state" / "sdk-version");

    [Fact]
    public async Task A_remembered_version_under_the_same_key_is_used_without_asking_dotnet()
    {
        var key = SdkVersionCache.Key(Root) ?? throw new Xunit.Sdk.XunitException("dotnet is not on PATH");
        Directory.CreateDirectory(Root / "state");
        await File.WriteAllTextAsync(Cache.File, $"{key}\n99.9.999\n");

        (await Cache.ReadAsync(Root, default)).Should().Be("99.9.999");
    }

    [Fact]
    public async Task An_edited_global_json_changes_the_key_so_dotnet_is_asked_again_and_the_answer_remembered()
    {
        var before = SdkVersionCache.Key(Root);
        Directory.CreateDirectory(Root / "state");
        await File.WriteAllTextAsync(Cache.File, $"{before}\n99.9.999\n");
        await File.WriteAllTextAsync(Root / "global.json", """{ "sdk": { "rollForward": "latestMajor" } }""");

        var after = SdkVersionCache.Key(Root);
        var version = await Cache.ReadAsync(Root, default);

        after.Should().NotBe(before);
        version.Should().NotBe("99.9.999").And.MatchRegex(@"^\d+\.\d+\.\d+");
        (await File.ReadAllLinesAsync(Cache.File)).Should().Equal(after, version);
    }

    public void Dispose() => _temp.Dispose();
}
