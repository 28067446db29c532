using System.Text;

namespace Dummy;

/// <summary>Lots of output, fast: large buffers, flushed at the end.</summary>
internal static class Output
{
    public static void Lines(int count, string where)
    {
        var toOut = where is "out" or "both";
        var toErr = where is "err" or "both";
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024);
        using var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false), 64 * 1024);
        for (var i = 1; i <= count; i++)
        {
            if (toOut)
                stdout.Write($"line {i}\n");
            if (toErr)
                stderr.Write($"line {i}\n");
        }
    }
}
