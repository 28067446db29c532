using CliWrap;

namespace Pipeline.Tools.Process;

/// <summary>Keeps the last few lines a process wrote to standard error, for the message of a <see cref="CommandException"/>.</summary>
internal sealed class StandardErrorTail(int size)
{
    private readonly Queue<string> _lines = new();

    /// <summary>The pipe target that collects the lines; merge it with the command's own standard error target.</summary>
    public PipeTarget Target => ProcessText.Lines(Add);

    /// <summary>The lines kept, joined with '\n'; empty if none.</summary>
    public string Text
    {
        get
        {
            lock (_lines)
                return string.Join('\n', _lines);
        }
    }

    private void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > size)
                _lines.Dequeue();
        }
    }
}
