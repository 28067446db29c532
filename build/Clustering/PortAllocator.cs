using Pipeline.Engine;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Clustering;

/// <summary>Finds free 127.0.0.1 ports in a range, starting at a random place so parallel runs rarely meet.</summary>
public static class PortAllocator
{
    public static IReadOnlyDictionary<string, int> Allocate(IReadOnlyList<string> names, (int First, int Last) range)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var size = range.Last - range.First + 1;
        var start = Random.Shared.Next(size);
        for (var i = 0; i < size && ports.Count < names.Count; i++)
        {
            var port = range.First + (start + i) % size;
            if (IsFree(port)) ports[names[ports.Count]] = port;
        }
        return ports.Count == names.Count ? ports
            : throw new PipelineException($"no {names.Count} free ports between {range.First} and {range.Last} on 127.0.0.1");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }
}
