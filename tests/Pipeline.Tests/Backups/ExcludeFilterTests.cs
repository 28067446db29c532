using FluentAssertions;
using Pipeline.Backups;
using Xunit;

namespace Pipeline.Tests.Backups;

public sealed class ExcludeFilterTests
{
    [Theory]
    [InlineData("*.tmp", "a.tmp", true)]
    [InlineData("*.tmp", "deep/down/b.tmp", true)]
    [InlineData("*.tmp", "a.tmpx", false)]
    [InlineData("cache/**", "cache/x/y", true)]
    [InlineData("cache/**", "sub/cache/x", false)]
    [InlineData("cache", "sub/cache", true)]
    [InlineData("logs/*.log", "logs/a.log", true)]
    [InlineData("logs/*.log", "logs/old/a.log", false)]
    [InlineData("**/node_modules", "a/b/node_modules", true)]
    [InlineData("**/node_modules", "node_modules", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file10.txt", false)]
    public void Patterns_match_names_anywhere_or_paths_from_the_root(string pattern, string path, bool excluded)
    {
        new ExcludeFilter([pattern]).IsExcluded(path).Should().Be(excluded);
    }
}
