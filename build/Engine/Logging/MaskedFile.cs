using System.Text;

namespace Pipeline.Engine;

/// <summary>
/// The one way the build writes a text file that may hold what it saw: reports, logs of services and containers, the
/// compose transcript, the deploy journal, audit records, timelines, the plan page. Every write is masked by the
/// running build's <see cref="SecretMasker"/> first, so a secret, or a derived form of one, never reaches the disk.
/// Parent folders are created. Files that must hold a secret (a private key, a generated password) are not written
/// through here, and live under <c>.nuke/temp/</c> with mode 0600.
/// </summary>
public static class MaskedFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string Mask(string text) => BuildSession.Current.Secrets.Mask(text);

    public static void WriteAllText(string path, string text)
    {
        CreateParent(path);
        File.WriteAllText(path, Mask(text), Utf8);
    }

    public static async Task WriteAllTextAsync(string path, string text, CancellationToken ct)
    {
        CreateParent(path);
        await File.WriteAllTextAsync(path, Mask(text), Utf8, ct);
    }

    public static async Task AppendAllTextAsync(string path, string text, CancellationToken ct)
    {
        CreateParent(path);
        await File.AppendAllTextAsync(path, Mask(text), Utf8, ct);
    }

    /// <summary>Masked, then written through <see cref="AtomicFile"/>: readers see the old content or the new, whole.</summary>
    public static void WriteAtomically(string path, string text) => AtomicFile.Write(path, Utf8.GetBytes(Mask(text)));

    /// <summary>Appends one line and flushes it to the disk before returning (a journal a kill must not tear).</summary>
    public static void AppendLineDurably(string path, string line)
    {
        CreateParent(path);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(Utf8.GetBytes(Mask(line) + "\n"));
        stream.Flush(flushToDisk: true);
    }

    private static void CreateParent(string path)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(parent)) Directory.CreateDirectory(parent);
    }
}
