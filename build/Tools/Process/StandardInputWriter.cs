namespace Pipeline.Tools.Process;

/// <summary>Feeds a process's standard input and closes it, so the process sees end of input.</summary>
internal static class StandardInputWriter
{
    public static async Task WriteAsync(StreamWriter standardInput, string? text, string? file = null)
    {
        try
        {
            if (file is not null)
            {
                await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                await source.CopyToAsync(standardInput.BaseStream).ConfigureAwait(false);
                await standardInput.BaseStream.FlushAsync().ConfigureAwait(false);
            }
            else if (!string.IsNullOrEmpty(text))
            {
                await standardInput.WriteAsync(text).ConfigureAwait(false);
                await standardInput.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The process exited or closed its input without reading it all: nothing more to feed.
        }
        finally
        {
            try
            {
                standardInput.Dispose();
            }
            catch (IOException)
            {
                // Closing a broken pipe.
            }
        }
    }
}
