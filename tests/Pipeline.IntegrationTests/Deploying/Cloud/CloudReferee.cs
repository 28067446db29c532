using Pipeline.IntegrationTests.CI;
using Pipeline.IntegrationTests.Packaging;
using Pipeline.Tools.Aws;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>
/// The official SDKs (referee/referee.js: @aws-sdk/client-auto-scaling, @aws-sdk/client-ec2, @aws-sdk/client-route-53,
/// @smithy/signature-v4, @google-cloud/compute over REST, cloudflare) in one node process shared by the tests: someone
/// else's reading of the APIs the
/// local cloud fakes imitate. The fakes ask it for the SigV4 signature a request should carry; the tests make the
/// SDK's own calls against the fakes. Its packages come from referee/package-lock.json (<c>npm ci</c>, once, offline
/// from npm's cache when it can); node and npm are declared by the Test target.
/// </summary>
public sealed class CloudReferee
{
    private static readonly Lazy<Task<CloudReferee>> Shared = new(StartAsync);
    private readonly Process _node;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly Lock _write = new();
    private int _next;

    private CloudReferee(Process node)
    {
        _node = node;
        _ = Task.Run(ReadAsync);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { _node.Kill(); } catch (InvalidOperationException) { } };
    }

    public static Task<CloudReferee> SharedAsync() => Shared.Value;

    public static string Directory =>
        Path.Combine(RepositoryRoot.Path, "tests", "Pipeline.IntegrationTests", "Deploying", "Cloud", "referee");

    private static async Task<CloudReferee> StartAsync()
    {
        var installed = Path.Combine(Directory, "node_modules", ".package-lock.json");
        if (
            !File.Exists(installed)
            || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(Directory, "package-lock.json"))
        )
        {
            var npm = Start("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund");
            var output = await npm.StandardOutput.ReadToEndAsync() + await npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
                throw new InvalidOperationException($"npm ci in {Directory} failed ({npm.ExitCode}): {output}");
        }
        var node = Start("node", "--no-warnings", "referee.js");
        _ = Task.Run(async () =>
        {
            while (await node.StandardError.ReadLineAsync() is { } line)
                Console.Error.WriteLine($"referee: {line}");
        });
        return new CloudReferee(node);
    }

    private static Process Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    private async Task ReadAsync()
    {
        while (await _node.StandardOutput.ReadLineAsync() is { } line)
        {
            if (JsonNode.Parse(line) is not JsonObject answer || answer["id"]?.GetValue<int>() is not { } id) continue;
            if (_pending.TryRemove(id, out var waiting)) waiting.TrySetResult(answer);
        }
        foreach (var waiting in _pending.Values) waiting.TrySetException(new InvalidOperationException("the referee (node) exited"));
    }

    /// <summary>Sends one request (its op and fields) and returns the answer; a failure inside the referee throws.</summary>
    public async Task<JsonObject> AskAsync(JsonObject request)
    {
        var id = Interlocked.Increment(ref _next);
        var waiting = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiting;
        request["id"] = id;
        lock (_write)
        {
            _node.StandardInput.WriteLine(request.ToJsonString());
            _node.StandardInput.Flush();
        }
        var answer = await waiting.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return answer["failure"] is { } failure ? throw new InvalidOperationException($"referee: {failure}") : answer;
    }

    /// <summary>What a fake of an AWS API makes of a request's SigV4 signature.</summary>
    public enum AwsSignature { Valid, Mismatch, TokenRefused }

    /// <summary>
    /// Checks a request to a fake of an AWS API: its Authorization header against the one @smithy/signature-v4 computes
    /// for <paramref name="credentials"/> (the SDK's signer signs the session token the request carries, so a token sent
    /// unsigned does not match); then, for role credentials, that the token is theirs (without it, or with another, AWS
    /// does not know the key).
    /// </summary>
    public AwsSignature CheckAws(RecordedRequest request, AwsCredentials credentials, IReadOnlyDictionary<string, string>? query = null)
    {
        var token = request.Headers.GetValueOrDefault("X-Amz-Security-Token");
        var expected = ExpectedAuthorization(request.Method, request.Path, request.Headers, request.Body, credentials.AccessKeyId,
            credentials.SecretAccessKey, query, token);
        if (expected is null || expected != request.Headers.GetValueOrDefault("Authorization")) return AwsSignature.Mismatch;
        return credentials.SessionToken is { } role && token != role ? AwsSignature.TokenRefused : AwsSignature.Valid;
    }

    /// <summary>The Authorization header @smithy/signature-v4 computes for a request (null when it names no scope).</summary>
    private string? ExpectedAuthorization(
        string method,
        string path,
        IReadOnlyDictionary<string, string> headers,
        string body,
        string accessKeyId,
        string secretAccessKey,
        IReadOnlyDictionary<string, string>? query = null,
        string? sessionToken = null
    )
    {
        var q = new JsonObject();
        foreach (var (k, v) in query ?? new Dictionary<string, string>()) q[k] = v;
        var h = new JsonObject();
        foreach (var (k, v) in headers) h[k.ToLowerInvariant()] = v;
        var answer = AskAsync(new JsonObject
        {
            ["op"] = "sigv4",
            ["method"] = method,
            ["path"] = path,
            ["query"] = q,
            ["headers"] = h,
            ["body"] = body,
            ["accessKeyId"] = accessKeyId,
            ["secretAccessKey"] = secretAccessKey,
            ["sessionToken"] = sessionToken,
        }).GetAwaiter().GetResult();
        return answer["authorization"]?.GetValue<string>();
    }

    /// <summary>An AWS SDK call (e.g. autoscaling StartInstanceRefresh with its input) against an endpoint; with a session
    /// token, as role credentials sign.</summary>
    public Task<JsonObject> AwsAsync(
        string service,
        string command,
        JsonObject input,
        Uri endpoint,
        string accessKeyId,
        string secretAccessKey,
        string? sessionToken = null
    ) =>
        AskAsync(
            new JsonObject
            {
                ["op"] = "aws",
                ["service"] = service,
                ["command"] = command,
                ["input"] = input.DeepClone(),
                ["endpoint"] = endpoint.ToString(),
                ["region"] = "eu-west-1",
                ["accessKeyId"] = accessKeyId,
                ["secretAccessKey"] = secretAccessKey,
                ["sessionToken"] = sessionToken,
            }
        );

    /// <summary>A call of the official <c>cloudflare</c> library (e.g. <c>dns.records.create</c> with its params; an id first
    /// for update and delete) against a local API root.</summary>
    public Task<JsonObject> CloudflareAsync(string method, JsonArray args, Uri api, string token) =>
        AskAsync(
            new JsonObject
            {
                ["op"] = "cloudflare",
                ["method"] = method,
                ["args"] = args.DeepClone(),
                ["baseURL"] = api.ToString(),
                ["token"] = token,
            }
        );

    /// <summary>A @google-cloud/compute call (e.g. InstanceTemplatesClient insert with its request) against an endpoint.</summary>
    public Task<JsonObject> GcpAsync(string client, string method, JsonObject request, string endpoint, string token) =>
        AskAsync(
            new JsonObject
            {
                ["op"] = "gcp",
                ["client"] = client,
                ["method"] = method,
                ["request"] = request.DeepClone(),
                ["endpoint"] = endpoint,
                ["token"] = token,
            }
        );
}
