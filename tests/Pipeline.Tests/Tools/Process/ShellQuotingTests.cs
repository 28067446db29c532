using FluentAssertions;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.Tests.Tools.Process;

public class ShellQuotingTests
{
    [Theory]
    [InlineData("a/b.txt", "a/b.txt")]
    [InlineData("--author=A B", "'--author=A B'")]
    [InlineData("it's done", @"'it'\''s done'")]
    [InlineData("", "''")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("a;rm -rf /", "'a;rm -rf /'")]
    public void Words_are_quoted_only_when_a_shell_would_read_them_otherwise(string word, string quoted)
    {
        ShellQuoting.Quote(word).Should().Be(quoted);
    }

    [Fact]
    public async Task A_quoted_word_reaches_a_real_shell_as_one_argument()
    {
        string[] words = ["a b", "it's", "$HOME", "*", "semi;colon", "", "ünïcödé"];
        var script = "printf '%s\\n' " + string.Join(' ', words.Select(ShellQuoting.Quote));

        var result = await CliWrap.Cli.Wrap("sh").WithArguments(["-c", script]).RunBufferedAsync();

        result.StandardOutput.Should().Be(string.Concat(words.Select(w => w + "\n")));
    }
}
