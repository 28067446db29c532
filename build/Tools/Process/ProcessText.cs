using CliWrap;
using System.Text;

namespace Pipeline.Tools.Process;

/// <summary>
/// How Pipeline reads and writes process text: always UTF-8 without a BOM. CliWrap's defaults follow the console's
/// encoding, which depends on the locale the build happens to run under.
/// </summary>
public static class ProcessText
{
    /// <summary>UTF-8 without a byte order mark.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A pipe target calling <paramref name="onLine"/> with each line (without its line break), in order, as it arrives.</summary>
    public static PipeTarget Lines(Action<string> onLine) => PipeTarget.ToDelegate(onLine, Utf8);
}
