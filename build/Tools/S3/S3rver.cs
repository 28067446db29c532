using Pipeline.Engine;
using Pipeline.Engine.Services;

namespace Pipeline.Tools.S3;

/// <summary>
/// s3rver (npm) as a local service on 127.0.0.1: the S3 the local environment and the tests use. Buckets named
/// here are created at start-up (<c>--configure-bucket</c>), so nothing has to create them later.
/// </summary>
public static class S3rver
{
    public static readonly Tool Tool = Tool.Npm("s3rver");

    /// <param name="directory">Where s3rver keeps buckets and objects.</param>
    /// <param name="port">The port on 127.0.0.1.</param>
    /// <param name="buckets">Buckets that must exist.</param>
    /// <param name="name">The service name (pid and log under the manager's directory).</param>
    public static LocalService Spec(string directory, int port, IEnumerable<string> buckets, string name = "s3rver")
    {
        Directory.CreateDirectory(directory);
        List<string> arguments =
        [
            "--directory",
            directory,
            "--address",
            "127.0.0.1",
            "--port",
            port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--silent",
            "--no-vhost-buckets",
        ];
        foreach (var bucket in buckets.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            arguments.AddRange(["--configure-bucket", bucket]);
        return new LocalService(name, "s3rver", arguments, ReadinessProbe.Tcp(port)) { Tools = [Tool] };
    }

    /// <summary>The endpoint of an s3rver started by <see cref="Spec"/> (default keys, path-style).</summary>
    public static S3Endpoint Endpoint(int port) => S3Endpoint.S3rver(port);
}
