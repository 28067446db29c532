using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.Backups;

public enum EntryType { File, Directory, Symlink, Other }

/// <summary>
/// What <c>statx(2)</c> says about a path without following a link: type, mode, size, inode and the change
/// times the backup cache compares (nanoseconds since the epoch).
/// </summary>
public readonly record struct FileStat(EntryType Type, int Mode, long Size, ulong Inode, long MTimeNs, long CTimeNs)
{
    private const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, STATX_BASIC_STATS = 0x7ff;

    public static FileStat Of(string path)
    {
        var bytes = new byte[256];
        var rc = statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, bytes);
        ReadOnlySpan<byte> buffer = bytes;
        if (rc != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 2) throw new FileNotFoundException($"{path} does not exist", path);
            throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        var type = (mode & 0xF000) switch
        {
            0x8000 => EntryType.File,
            0x4000 => EntryType.Directory,
            0xA000 => EntryType.Symlink,
            _ => EntryType.Other,
        };
        return new FileStat(type, mode & 0xFFF,
            (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]),
            Nanoseconds(buffer[112..]), Nanoseconds(buffer[96..]));
    }

    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        BinaryPrimitives.ReadInt64LittleEndian(timestamp) * 1_000_000_000L + BinaryPrimitives.ReadUInt32LittleEndian(timestamp[8..]);

    public DateTimeOffset MTime => DateTimeOffset.UnixEpoch.AddTicks(MTimeNs / 100);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
