using CliWrap;
using CliWrap.Buffered;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Process;
using System.Security.Cryptography;

namespace Pipeline.Publishing;

/// <summary>
/// A real Distribution registry (Debian's docker-registry) on 127.0.0.1 with htpasswd (bcrypt) authentication,
/// its storage and configuration in one directory. The build's local registry and the integration tests both
/// start it from here.
/// </summary>
public static class RegistryService
{
    public const string Executable = "/usr/bin/docker-registry";
    public static readonly Tool RegistryTool = Tool.Apt("docker-registry");
    public static readonly Tool HtpasswdTool = Tool.Apt("htpasswd", "apache2-utils");

    /// <summary>The service spec; call <see cref="Prepare"/> first so its configuration exists.</summary>
    public static LocalService Spec(string name, string directory, int port) =>
        new(name, Executable, ["serve", Path.Combine(directory, "config.yml")], ReadinessProbe.Http($"http://127.0.0.1:{port}/v2/"))
        {
            Tools = [RegistryTool],
            WorkingDirectory = directory,
        };

    /// <summary>
    /// Writes config.yml and the htpasswd file (bcrypt, through <c>htpasswd -B -i</c>: the password goes in on
    /// stdin, never on a command line). Idempotent: an unchanged user and password keep the existing file.
    /// </summary>
    public static void Prepare(string directory, int port, string username, string password)
    {
        Directory.CreateDirectory(Path.Combine(directory, "storage"));
        var htpasswd = Path.Combine(directory, "htpasswd");
        if (ToolCheck.Missing([HtpasswdTool]).Count > 0)
            throw new PipelineException(
                $"The registry needs htpasswd: run ./build.sh Prerequisites as root, or {HtpasswdTool.InstallCommand}"
            );
        // htpasswd -v checks the password against the bcrypt hash (exit 0): nothing about the password is stored elsewhere.
        var current = File.Exists(htpasswd) && Htpasswd(["-v", "-i", htpasswd, username], password).ExitCode == 0;
        if (!current)
        {
            // bcrypt cost 4 (its minimum): the registry checks it on every request, and the passwords here are 256-bit
            // random values, which no work factor makes any harder to guess.
            var created = Htpasswd(["-B", "-C", "4", "-i", "-c", htpasswd, username], password);
            if (created.ExitCode != 0) throw new PipelineException($"htpasswd could not write {htpasswd}: {created.StandardError.Trim()}");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(htpasswd, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(Path.Combine(directory, "config.yml"), Config(directory, port));
    }

    private static BufferedCommandResult Htpasswd(string[] arguments, string password) =>
        Cli.Wrap("htpasswd").WithArguments(arguments).WithStandardInput(password).WithValidation(CommandResultValidation.None)
            .RunBufferedAsync().GetAwaiter().GetResult();

    public static string Config(string directory, int port) => $"""
        version: 0.1
        log:
          level: warn
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: {Path.Combine(directory, "storage")}
          delete:
            enabled: true
          cache:
            blobdescriptor: inmemory
        http:
          addr: 127.0.0.1:{port}
          secret: {Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(directory)))}
        auth:
          htpasswd:
            realm: pipeline-registry
            path: {Path.Combine(directory, "htpasswd")}
        """;

    /// <summary>
    /// The local registry's password: generated once (32 random bytes, hex) into <paramref name="file"/> with mode
    /// 0600, read back afterwards, and registered as a secret so it is masked everywhere.
    /// </summary>
    public static string LocalPassword(string file)
    {
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(file, options);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        }
        var password = File.ReadAllText(file).Trim();
        Secrets.Register(password);
        return password;
    }
}
