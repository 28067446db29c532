using System.Runtime.ExceptionServices;
using System.Text;

namespace Pipeline.Tools.Process;

/// <summary>
/// Drains one output stream of a process to its end: splits it into lines for a handler (called in order, never
/// concurrently with the other stream's handler), optionally keeps the exact text, and keeps the last few lines.
/// A handler that throws is not called again; draining goes on so the process never blocks on a full pipe.
/// </summary>
internal sealed class OutputPump
{
    private readonly Action<string>? _handler;
    private readonly object _handlerGate;
    private readonly StringBuilder? _text;
    private readonly int _tailSize;
    private readonly Queue<string> _tail = new();
    private readonly StringBuilder _pendingLine = new();
    private readonly object _stateGate = new();
    private ExceptionDispatchInfo? _handlerFailure;

    public OutputPump(Action<string>? handler, object handlerGate, bool keepText, int tailSize)
    {
        _handler = handler;
        _handlerGate = handlerGate;
        _text = keepText ? new StringBuilder() : null;
        _tailSize = tailSize;
    }

    /// <summary>Reads <paramref name="reader"/> until end of stream.</summary>
    public async Task RunAsync(TextReader reader)
    {
        var chunk = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(chunk.AsMemory()).ConfigureAwait(false)) > 0)
        {
            lock (_stateGate)
                _text?.Append(chunk, 0, read);
            Split(chunk.AsSpan(0, read));
        }

        if (_pendingLine.Length > 0)
            Emit(TakePendingLine());
    }

    /// <summary>Everything read so far, exactly as written; empty when the text is not kept.</summary>
    public string Text()
    {
        lock (_stateGate)
            return _text?.ToString() ?? "";
    }

    /// <summary>The last lines read, joined with '\n'.</summary>
    public string Tail()
    {
        lock (_stateGate)
            return string.Join('\n', _tail);
    }

    /// <summary>Rethrows what the handler threw, if it did.</summary>
    public void ThrowIfHandlerFailed() => _handlerFailure?.Throw();

    private void Split(ReadOnlySpan<char> chunk)
    {
        while (chunk.Length > 0)
        {
            var newline = chunk.IndexOf('\n');
            if (newline < 0)
            {
                _pendingLine.Append(chunk);
                return;
            }

            _pendingLine.Append(chunk[..newline]);
            Emit(TakePendingLine());
            chunk = chunk[(newline + 1)..];
        }
    }

    private string TakePendingLine()
    {
        var length = _pendingLine.Length;
        if (length > 0 && _pendingLine[length - 1] == '\r')
            length--;
        var line = _pendingLine.ToString(0, length);
        _pendingLine.Clear();
        return line;
    }

    private void Emit(string line)
    {
        if (_tailSize > 0)
        {
            lock (_stateGate)
            {
                _tail.Enqueue(line);
                if (_tail.Count > _tailSize)
                    _tail.Dequeue();
            }
        }

        if (_handler is null || _handlerFailure is not null)
            return;
        try
        {
            lock (_handlerGate)
                _handler(line);
        }
        catch (Exception exception)
        {
            _handlerFailure = ExceptionDispatchInfo.Capture(exception);
        }
    }
}
