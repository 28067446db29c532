namespace Pipeline.Tools.Process;

/// <summary>Feeds a process's standard input and closes it, so the process sees end of input.</summary>
internal static class StandardInputWriter
{
    public static async Task WriteAsync(StreamWriter standardInput, string? text)
    {
        try
        {
            if (!string.IsNullOrEmpty(text))
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
