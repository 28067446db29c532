using Pipeline.Engine;

namespace Pipeline.Backups;

/// <summary>A line every two seconds at most while a set's files are stored: how many are done, and bytes sent.</summary>
internal sealed class BackupProgress(string set, int total)
{
    private int _done;
    private long _lastLogTicks = Environment.TickCount64;

    public void Done(Transfer transfer)
    {
        var done = Interlocked.Increment(ref _done);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastLogTicks);
        if (now - last >= 2000 && Interlocked.CompareExchange(ref _lastLogTicks, now, last) == last)
            Log.Information($"{set}: {done}/{total} files, {transfer.UploadedBytes:N0} bytes sent");
    }
}
