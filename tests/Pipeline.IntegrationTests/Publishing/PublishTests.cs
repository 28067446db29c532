using CliWrap;
using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Logging;
using Pipeline.Publishing;
using Pipeline.Tools.Process;
using Pipeline.Tools.Registry;
using System.Text.Json;
using Xunit;

namespace Pipeline.IntegrationTests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class PublishTests(RegistryFixture fixture)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly SourceVersion Version = SourceVersion.FromDescribe("v1.4.0-0-gab12cd3", "ab12cd3", 40, dirty: false);

    private Publisher NewPublisher(CountingEngine engine, RegistryCredentials? credentials = null, string? channel = null) =>
        new(engine, _ => credentials ?? fixture.Credentials, new PublishOptions("test", Version, channel, IsServerBuild: true)
        { Retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)) });

    [Fact]
    public async Task Publish_pushes_skopeo_shows_the_recorded_digest_and_a_second_publish_pushes_nothing()
    {
        var registry = fixture.Registry("first");
        var engine = new CountingEngine(fixture);

        var first = await NewPublisher(engine, channel: "staging").PublishAsync([registry], fixture.Images, Ct);
        var file = Path.Combine(fixture.Directory, "published.json");
        await new PublishedManifest("test", first).WriteAsync(file, Ct);

        engine.Pushes.Should().Be(2);
        var recorded = PublishedManifest.Load(file).Images;
        recorded.Select(i => i.Status).Should().AllBe("pushed");
        foreach (var image in recorded)
        {
            image.Reference.Should().Be($"127.0.0.1:{RegistryFixture.Port}/first/{image.Name}@{image.Digest}");
            image.Tags.Should().Equal($"h{image.InputHash[..12]}", "1.4.0_gab12cd3", "ab12cd3", "staging");
            foreach (var tag in image.Tags)
                (await SkopeoDigest($"127.0.0.1:{RegistryFixture.Port}/first/{image.Name}:{tag}")).Should().Be(image.Digest);
        }

        var second = await NewPublisher(engine, channel: "staging").PublishAsync([registry], fixture.Images, Ct);

        engine.Pushes.Should().Be(2, "the second publish finds every digest and pushes nothing");
        second.Select(i => i.Status).Should().AllBe("up-to-date");
        second.Select(i => i.Digest).Should().Equal(first.Select(i => i.Digest));
    }

    [Fact]
    public async Task A_missing_tag_is_added_by_a_manifest_put_without_a_push()
    {
        var registry = fixture.Registry("retag");
        var engine = new CountingEngine(fixture);
        var first = await NewPublisher(engine).PublishAsync([registry], fixture.Images.Take(1).ToList(), Ct);

        var again = await NewPublisher(engine, channel: "canary").PublishAsync([registry], fixture.Images.Take(1).ToList(), Ct);

        engine.Pushes.Should().Be(1);
        again.Single().Status.Should().Be("retagged");
        (await SkopeoDigest($"127.0.0.1:{RegistryFixture.Port}/retag/{first[0].Name}:canary")).Should().Be(first[0].Digest);
    }

    [Fact]
    public async Task A_wrong_password_fails_at_once_with_one_line_naming_the_registry_and_the_secret_and_never_the_password()
    {
        const string wrong = "not-the-password-7f3a9c";
        var lines = new List<string>();
        new BuildSession([new ListSink(lines)]).Activate();
        var engine = new CountingEngine(fixture);

        var act = () =>
            NewPublisher(engine, new RegistryCredentials(RegistryFixture.User, wrong))
                .PublishAsync([fixture.Registry("denied")], fixture.Images, Ct);

        var error = (await act.Should().ThrowAsync<PipelineException>()).Which;
        error.ExitCode.Should().Be(1);
        error
            .Message.Should()
            .Be(
                $"Registry 127.0.0.1:{RegistryFixture.Port} (environments/test.yml: registries/test{RegistryFixture.Port}) refused the "
                + $"credentials "
                    + "(401 Unauthorized): set the secret parameter TestRegistryPassword (--test-registry-password or "
                        + "TEST_REGISTRY_PASSWORD) "
                    + "and the parameter TestRegistryUser (--test-registry-user or TEST_REGISTRY_USER)."
            );
        engine.Pushes.Should().Be(0);
        lines
            .Should()
            .NotContain(l => l.Contains(wrong))
            .And.NotContain(l => l.Contains("retrying"), "authentication errors are not retried");
        error.ToString().Should().NotContain(wrong);
    }

    [Fact]
    public async Task Promote_tags_a_digest_mounts_it_into_another_repository_and_copies_it_to_another_registry()
    {
        var source = fixture.Registry("promote-src");
        var published = await NewPublisher(new CountingEngine(fixture)).PublishAsync([source], fixture.Images.Take(1).ToList(), Ct);
        var manifest = new PublishedManifest("test", published);
        var promoter = new Promoter(_ => fixture.Credentials, RetryPolicy.Default);
        var image = published.Single();

        var retagged = await promoter.PromoteAsync(manifest, [source], [source], "stable", Ct);
        var mounted = await promoter.PromoteAsync(manifest, [source], [fixture.Registry("promoted")], "stable", Ct);
        var copied = await promoter.PromoteAsync(
            manifest,
            [source],
            [fixture.Registry("production", RegistryFixture.SecondPort)],
            "stable",
            Ct
        );

        foreach (var result in new[] { retagged, mounted, copied }.Select(r => r.Single()))
        {
            result.Digest.Should().Be(image.Digest, "a promotion never changes the digest");
            result.Tags.Should().EndWith("stable");
            (await SkopeoDigest($"{result.Repository}:stable")).Should().Be(image.Digest);
        }
        mounted.Single().Reference.Should().Be($"127.0.0.1:{RegistryFixture.Port}/promoted/{image.Name}@{image.Digest}");
        copied.Single().Reference.Should().Be($"127.0.0.1:{RegistryFixture.SecondPort}/production/{image.Name}@{image.Digest}");
    }

    [Fact]
    public async Task Without_a_registry_images_are_saved_as_archives_whose_checksums_sha256sum_accepts()
    {
        var layout = Layout("artifacts");
        var directory = layout.Archives;
        var archiver = new ImageArchiver(new CountingEngine(fixture), layout);

        var saved = await archiver.SaveAsync(fixture.Images, Ct);
        var again = await archiver.SaveAsync(fixture.Images, Ct);

        saved.Select(s => s.Status).Should().AllBe("saved");
        again.Select(s => s.Status).Should().AllBe("up-to-date");
        foreach (var entry in saved)
        {
            entry.Archive.Should().Be($"artifacts/images/{entry.Name}-{entry.InputHash[..12]}.tar");
            var check = await Cli.Wrap("sha256sum")
                .WithArguments(["-c", Path.GetFileName(entry.Archive!) + ".sha256"])
                .WithWorkingDirectory(directory)
                .RunBufferedAsync(Ct);
            check.StandardOutput.Should().Contain(": OK");
            entry.Reference.Should().Be(entry.Digest).And.StartWith("sha256:");
        }
    }

    [Fact]
    public async Task An_archive_Images_already_saved_for_the_same_input_is_linked_instead_of_saved_again_and_outlives_a_rebake()
    {
        // Its own artifacts folder: the archive the previous test saved would be up to date here, and nothing linked.
        var layout = Layout("artifacts-baked");
        var directory = layout.Archives.CreateDirectory();
        var image = fixture.Images[0];
        var baked = (layout.Artifacts / "baked").CreateDirectory() / $"{image.Name}.tar";
        await using (var file = File.Create(baked)) await new DockerImageEngine(fixture.Docker).SaveAsync(image.Tags, file, Ct);
        await File.WriteAllTextAsync(Pipeline.Baking.Baker.ArchiveStamp(baked), image.InputHash, Ct);
        var engine = new CountingEngine(fixture);

        var published = await new ImageArchiver(engine, layout).SaveAsync(
            [image with { Saved = layout.Relative(baked) }],
            Ct
        );

        engine.Saves.Should().Be(0);
        var archive = published.Single().Archive!;
        archive.Should().Be($"artifacts-baked/images/{ImageArchiver.FileName(image)}");
        var check = await Cli.Wrap("sha256sum")
            .WithArguments(["-c", Path.GetFileName(archive) + ".sha256"])
            .WithWorkingDirectory(directory)
            .RunBufferedAsync(Ct);
        check.StandardOutput.Should().Contain(": OK");
        File.Delete(baked); // the next bake replaces Images' file; the published archive stays whole
        (
            await Cli.Wrap("sha256sum")
                .WithArguments(["-c", Path.GetFileName(archive) + ".sha256"])
                .WithWorkingDirectory(directory)
                .RunBufferedAsync(Ct)
        )
            .StandardOutput.Should()
            .Contain(": OK");
    }

    /// <summary>The fixture's folder as the repository root, with its own artifacts folder.</summary>
    private PublishLayout Layout(string artifacts)
    {
        var root = new Pipeline.Engine.AbsolutePath(fixture.Directory);
        return PublishLayout.Of(root, root / artifacts, root / ".nuke" / "temp");
    }

    private async Task<string> SkopeoDigest(string reference)
    {
        var result = await Cli.Wrap("skopeo")
            .WithArguments([
                "inspect",
                "--tls-verify=false",
                "--creds",
                $"{RegistryFixture.User}:{fixture.Password}",
                $"docker://{reference}",
            ])
            .RunBufferedAsync(Ct);
        using var doc = JsonDocument.Parse(result.StandardOutput);
        return doc.RootElement.GetProperty("Digest").GetString()!;
    }

    private sealed class ListSink(List<string> lines) : ILogSink
    {
        public void Write(LogEntry entry) { lock (lines) lines.Add(entry.Message); }
    }

    /// <summary>The real engine, counting pushes (a decorator, not a fake).</summary>
    private sealed class CountingEngine(RegistryFixture fixture) : IImageEngine
    {
        private readonly DockerImageEngine _engine = new(fixture.Docker);
        public int Pushes;

        public Task TagAsync(string imageId, string repository, string tag, CancellationToken ct) =>
            _engine.TagAsync(imageId, repository, tag, ct);

        public Task<string> PushAsync(
            string repository,
            string tag,
            string serverAddress,
            RegistryCredentials? credentials,
            Action<string?, string?, long, long> onProgress,
            CancellationToken ct
        )
        {
            Interlocked.Increment(ref Pushes);
            return _engine.PushAsync(repository, tag, serverAddress, credentials, onProgress, ct);
        }

        public int Saves;

        public Task SaveAsync(IReadOnlyList<string> references, Stream destination, CancellationToken ct)
        {
            Interlocked.Increment(ref Saves);
            return _engine.SaveAsync(references, destination, ct);
        }
    }
}
