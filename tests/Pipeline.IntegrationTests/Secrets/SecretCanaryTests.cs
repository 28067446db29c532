using CliWrap;
using CliWrap.Buffered;
using FluentAssertions;
using Pipeline.Engine.Parameters;
using Pipeline.IntegrationTests.CI;
using Pipeline.IntegrationTests.Deploying;
using Pipeline.Tools.Process;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Pipeline.IntegrationTests.Secrets;

/// <summary>
/// The secret canary: a distinctive value for every <c>[Secret]</c> parameter of the build and every credential the
/// example environments name, then the build run as a user runs it (a process in a throw-away repository) through
/// targets that write files, some made to fail. Afterwards no value, nor any usual derived form of one, may be found
/// in the runs' stdout and stderr, in any file under <c>artifacts/</c> or <c>.nuke/temp/</c>, or in what reached the
/// local fakes of Slack and GitHub. The derived forms are computed here with .NET's own encoders, not the masker's list.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed partial class SecretCanaryTests(DeployFixture fixture)
{
    private const string Policy = """
              batch: 1
              min_healthy_percent: 50
              warmup: 1s
              bake: 1s
              drain_timeout: 5s
              stop_timeout: 5s
              on_failure: rollback
        """;

    /// <summary>What the cloud providers read from the environment (build/Tools/Aws, build/Deploying/GroupTarget.cs).</summary>
    private static readonly string[] CloudVariables =
    [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "GCP_ACCESS_TOKEN",
    ];

    /// <summary>A token the test environment's health check sends in its query string, so failures quote it.</summary>
    private const string HealthToken = "HEALTH_CHECK_TOKEN";

    [Fact]
    public async Task No_secret_nor_a_derived_form_of_one_reaches_the_output_the_files_or_the_notifications_of_runs_that_pass_and_fail()
    {
        using var slack = new FakeSlackWebhook();
        var canaries = Canaries(slack.WebhookUrl);
        using var github = new FakeGitHubApi(canaries["GITHUB_TOKEN"], "acme/canary");
        await using var env = new TestEnvironment(fixture, "test-canary", 25400, 2, Policy);
        WriteEnvironment(env, canaries);
        await env.StartAsync();

        var runs = new List<(string What, BufferedCommandResult Result)>();
        async Task<BufferedCommandResult> Run(string what, params string[] arguments)
        {
            var command = env.Build([.. arguments, "--verbosity", "verbose"])
                .WithEnvironment("GITHUB_REPOSITORY", github.Repository).WithEnvironment("GITHUB_API_URL", github.Url)
                .WithEnvironment("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
            foreach (var (name, value) in canaries) command = command.WithEnvironment(name, value);
            var result = await command.RunBufferedAsync();
            runs.Add((what, result));
            return result;
        }

        env.Publish(fixture.V1);
        var good = await Run("Deploy (passes)", "Deploy");
        env.Publish(fixture.BadV2);
        var bad = await Run("Deploy (fails, rolls back)", "Deploy");
        var plan = await Run("Plan", "Plan");
        var planPage = await Run("--plan Deploy", "--plan", "Deploy");
        var backup = await Run("Backup (refused: unknown S3 keys)", "Backup");
        var notify = await Run("Notify", "Notify", "--notify-message", NotifyMessage(canaries));

        // Nothing anywhere holds a canary or a derived form of one.
        var places = new List<(string Where, string Text)>();
        foreach (var (what, result) in runs)
            places.Add(($"{what}: stdout and stderr", result.StandardOutput + result.StandardError));
        foreach (var file in FilesUnder(Path.Combine(env.Root, "artifacts")).Concat(FilesUnder(Path.Combine(env.Root, ".nuke", "temp"))))
            places.Add((Path.GetRelativePath(env.Root, file), file.EndsWith(".sock", StringComparison.Ordinal) ? "" : ReadText(file)));
        places.AddRange(slack.Messages.Select(m => ("a Slack message", m)));
        places.AddRange(github.Requests.Select(r => ($"GitHub {r.Method} {r.Path}", r.Path + "\n" + r.Body)));

        var leaks = (from place in places
                     from canary in canaries
                     from form in Forms(canary.Value)
                     where place.Text.Contains(form.Text, StringComparison.Ordinal)
                     select $"{place.Where}: {canary.Key} ({form.Name})").Distinct().ToList();

        // Every path was taken: the outputs exist, the failures failed, the fakes were called.
        good.ExitCode.Should().Be(0, TestEnvironment.Output(good));
        bad.ExitCode.Should().Be(1, TestEnvironment.Output(bad));
        plan.ExitCode.Should().Be(0, TestEnvironment.Output(plan));
        planPage.ExitCode.Should().Be(0, TestEnvironment.Output(planPage));
        backup.ExitCode.Should().NotBe(0, TestEnvironment.Output(backup));
        notify.ExitCode.Should().Be(0, TestEnvironment.Output(notify));
        var deploy = Path.Combine(env.Root, "artifacts", "deploy");
        Directory.GetFiles(deploy, "*.audit.json").Should().HaveCount(2);
        Directory.GetFiles(deploy, "*.timeline.html").Should().HaveCount(2).And.Contain(f => File.ReadAllText(f).Contains("****"));
        File.ReadAllText(Path.Combine(deploy, "audit.jsonl"))
            .Should()
            .Contain("rolled back")
            .And.Contain("****", "the failure quotes the health check's token");
        File.ReadAllText(env.JournalPath).Should().Contain("\"failed\"").And.Contain("****");
        File.Exists(Path.Combine(env.Root, "artifacts", "plan.html")).Should().BeTrue();
        github
            .Accepted.Select(a => a.Body["description"]!.GetValue<string>())
            .Should()
            .Contain(d => d.Contains("rolled back") && d.Contains("****"));
        slack
            .Messages.Should()
            .Contain(m => m.Contains("failed") && m.Contains("****"))
            .And.Contain(m => m.StartsWith("canary report", StringComparison.Ordinal));

        places
            .Should()
            .Contain(p => p.Where.EndsWith("build.log", StringComparison.Ordinal))
            .And.Contain(p => p.Where.EndsWith("web.journal.jsonl", StringComparison.Ordinal))
            .And.Contain(p => p.Where == Path.Combine(".nuke", "temp", "host", "deploy.log"));
        leaks.Should().BeEmpty($"the runs were: {string.Join("; ", runs.Select(r => $"{r.What} → {r.Result.ExitCode}"))}");
    }

    /// <summary>
    /// The variables to set: every [Secret] parameter's, the credentials the example environments name (registry
    /// passwords, secret_env references), the clouds' keys, and the health-check token of this test's environment.
    /// Each value has characters that every encoding changes (+ / &amp;), except where a protocol forbids them.
    /// </summary>
    private static Dictionary<string, string> Canaries(string slackWebhook)
    {
        var names = ParameterInfo.Discover(typeof(Pipeline.Build)).Where(p => p.IsSecret).Select(p => p.EnvironmentVariable)
            .Concat(ExampleEnvironmentCredentials()).Concat(CloudVariables).Append(HealthToken).ToHashSet(StringComparer.Ordinal);
        names
            .Should()
            .Contain([
                "GITHUB_TOKEN",
                "SLACK_WEBHOOK",
                "S3_ACCESS_KEY",
                "S3_SECRET_KEY",
                "REGISTRY_PASSWORD",
                "GHCR_TOKEN",
                "ECR_PASSWORD",
                "STAGING_DATABASE_URL",
            ]);
        var run = Guid.NewGuid().ToString("N")[..8];
        var canaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names.Order(StringComparer.Ordinal))
            canaries[name] = name switch
            {
                "SLACK_WEBHOOK" => slackWebhook,                      // the fake's URL, whose path is the secret
                "S3_ACCESS_KEY" => $"AKCANARY{run.ToUpperInvariant()}", // an access key id: letters and digits
                _ => $"cnry-{name.ToLowerInvariant().Replace('_', '-')}-{run}+x/y&z",
            };
        return canaries;
    }

    /// <summary>Parameter names under <c>credentials: password:</c> and <c>${VARIABLE}</c>s under <c>secret_env:</c> of
    /// environments/*.yml.</summary>
    private static IEnumerable<string> ExampleEnvironmentCredentials()
    {
        var root = Path.Combine(Packaging.RepositoryRoot.Path, "environments");
        foreach (var file in Directory.GetFiles(root, "*.yml"))
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(file)) yaml.Load(reader);
            foreach (var document in yaml.Documents)
                foreach (var (key, value) in Pairs(document.RootNode))
                {
                    if (key == "credentials" && value is YamlMappingNode credentials
                        && credentials.Children.TryGetValue(new YamlScalarNode("password"), out var password))
                        yield return Naming.UpperSnake(((YamlScalarNode)password).Value!);
                    if (key == "secret_env" && value is YamlMappingNode secretEnv)
                        foreach (var entry in secretEnv.Children.Values.OfType<YamlScalarNode>())
                            foreach (Match m in Reference().Matches(entry.Value ?? ""))
                                yield return m.Groups[1].Value;
                }
        }
    }

    private static IEnumerable<(string Key, YamlNode Value)> Pairs(YamlNode node)
    {
        if (node is YamlMappingNode mapping)
            foreach (var (k, v) in mapping.Children)
            {
                yield return (((YamlScalarNode)k).Value ?? "", v);
                foreach (var inner in Pairs(v)) yield return inner;
            }
        else if (node is YamlSequenceNode sequence)
            foreach (var item in sequence.Children)
                foreach (var inner in Pairs(item)) yield return inner;
    }

    [GeneratedRegex(@"\$\{([A-Z][A-Z0-9_]*)")]
    private static partial Regex Reference();

    /// <summary>
    /// The test's environment: one docker group whose secret_env carries every canary into the containers, whose
    /// health check sends a token (so a failed check quotes it into the journal, audit record, timeline and
    /// notifications), an audit log on the host, and backups to the local s3rver with the canary S3 keys.
    /// </summary>
    private static void WriteEnvironment(TestEnvironment env, IReadOnlyDictionary<string, string> canaries)
    {
        var secretEnv = string.Join("\n", canaries.Keys.Select((name, i) => $"          CANARY_{i}: \"${{{name}}}\""));
        File.WriteAllText(Path.Combine(env.Root, "environments", $"{env.Name}.yml"), $$"""
            s3:
              endpoint: http://127.0.0.1:23000
              region: us-east-1
              path-style: true
            backups:
              bucket: pipeline-backups
              prefix: canary-{{Guid.NewGuid():N}}
              sets:
                deploy:
                  sources:
                    - { path: artifacts/deploy, optional: true }
                    - { path: .nuke/temp/deploy, optional: true }
                  retention: { last: 2 }
            lock:
              ttl: 30s
              directory: .nuke/temp/locks
            groups:
              web:
                provider: docker
                image: heartbeat
                count: {{env.Count}}
                ports:
                  container: 8080
                  host_base: {{env.FrontendPort + 2}}
                env:
                  HEARTBEAT_PORT: "8080"
                secret_env:
            {{secretEnv}}
                health:
                  path: /heartbeat?token=${{{HealthToken}}}
                  interval: 200ms
                  timeout: 1s
                  healthy_threshold: 2
                  unhealthy_threshold: 2
                  start_timeout: 20s
                rolling:
            {{Policy}}
                load_balancer:
                  haproxy:
                    socket: .nuke/temp/haproxy/admin.sock
                    backend: web
                outputs:
                  file_sd: artifacts/deploy/{{env.Name}}-web.file_sd.json
                  host_audit_log: .nuke/temp/host/deploy.log
            """);
        // Backup starts the local s3rver when none answers; it creates the buckets the local environment names.
        File.Copy(
            Path.Combine(Packaging.RepositoryRoot.Path, "environments", "local.yml"),
            Path.Combine(env.Root, "environments", "local.yml")
        );
    }

    /// <summary>A failure report that quotes every secret in every form (as a careless CI step might).</summary>
    private static string NotifyMessage(IReadOnlyDictionary<string, string> canaries) =>
        "canary report: " + string.Join(" | ", canaries.Values.SelectMany(v => Forms(v).Select(f => f.Text)));

    /// <summary>A value's usual derived forms, by .NET's encoders; base64 also of the value behind common user names.</summary>
    private static IEnumerable<(string Name, string Text)> Forms(string value)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        yield return ("as is", value);
        yield return ("URL-encoded", Uri.EscapeDataString(value));
        yield return ("form-encoded", WebUtility.UrlEncode(value));
        yield return ("JSON-escaped", JsonSerializer.Serialize(value)[1..^1]);
        yield return (
            "JSON-escaped, relaxed",
            JsonSerializer.Serialize(value, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1]
        );
        yield return ("HTML-encoded", WebUtility.HtmlEncode(value));
        yield return ("base64", B64(value));
        yield return ("base64 URL-safe", B64(value).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        foreach (var user in new[] { "AWS", "x-access-token", "pipeline", "oauth2accesstoken" })
            yield return ($"base64 of {user}:value", B64($"{user}:{value}"));
    }

    private static IEnumerable<string> FilesUnder(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories) : [];

    /// <summary>A file's text; a socket or a file another process holds reads as empty.</summary>
    private static string ReadText(string path)
    {
        try
        {
            if (new FileInfo(path).Length > 64 << 20) return "";
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        }
        catch (IOException) { return ""; }
    }
}
