using System.ComponentModel;

namespace Pipeline.Tools.Process;

/// <summary>Kills a process together with every descendant it has.</summary>
internal static class ProcessTree
{
    /// <summary>
    /// Kills <paramref name="process"/> and its descendants (found through their parent links) at once.
    /// Never throws: a process that is already gone is what we want.
    /// </summary>
    public static void Kill(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited, or never started.
        }
        catch (Win32Exception)
        {
            // A descendant vanished or could not be signalled while the tree was being walked; kill what remains.
            try
            {
                process.Kill();
            }
            catch (Exception exception) when (exception is InvalidOperationException or Win32Exception)
            {
                // Gone.
            }
        }
    }
}
