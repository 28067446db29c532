using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dummy;

/// <summary>A tiny HTTP server: every request gets 200 "ok". Runs until the process is killed.</summary>
internal static class HttpOk
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

    public static void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        Console.Out.WriteLine($"listening {((IPEndPoint)listener.LocalEndpoint).Port}");
        Console.Out.Flush();
        while (true)
        {
            var client = listener.AcceptTcpClient();
            _ = Task.Run(() => Answer(client));
        }
    }

    private static async Task Answer(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await ReadHeadersAsync(stream);
                await stream.WriteAsync(Response);
                await stream.FlushAsync();
            }
            catch (IOException)
            {
                // The client went away.
            }
        }
    }

    /// <summary>Reads until the blank line that ends the request headers (bodies are ignored).</summary>
    private static async Task ReadHeadersAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        var seen = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
            if (seen.ToString().Contains("\r\n\r\n") || seen.Length > 64 * 1024)
                return;
        }
    }
}
