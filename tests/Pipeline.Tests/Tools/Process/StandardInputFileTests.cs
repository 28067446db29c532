using CliWrap;
using FluentAssertions;
using Pipeline.Tools.Process;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.Tests.Tools.Process;

public class StandardInputFileTests
{
    [Fact]
    public async Task A_file_reaches_standard_input_byte_for_byte()
    {
        var file = Path.GetTempFileName();
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 % 256)).ToArray();
        await File.WriteAllBytesAsync(file, bytes);

        var result = await Cli.Wrap("sha256sum").WithStandardInputFile(file).RunBufferedAsync();

        result.StandardOutput.Split(' ')[0].Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        File.Delete(file);
    }
}
