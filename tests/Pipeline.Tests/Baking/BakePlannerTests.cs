using FluentAssertions;
using Pipeline.Baking;
using Pipeline.Engine;
using System.Formats.Tar;
using Xunit;

namespace Pipeline.Tests.Baking;

public sealed class BakePlannerTests
{
    private static ImageRepository Chain() => new ImageRepository()
        .Write("scripts/base.sh", "#!/bin/sh\necho base\n")
        .Write("scripts/app.sh", "echo app\n")
        .Write("scripts/tool.sh", "echo tool\n")
        .Image("base", """
            from: { debootstrap: { suite: bookworm } }
            provisioners:
              - shell: { script: scripts/base.sh }
            """)
        .Image("app", """
            from: base
            provisioners:
              - file: { source: app.conf, destination: /etc/app.conf, mode: "0640", owner: "root:adm" }
              - shell: { script: scripts/app.sh, env: { MODE: "it's" } }
              - env: { PORT: "8080", NAME: "a $b" }
              - user: nobody
            cmd: [/usr/bin/app, --port, "8080"]
            expose: [8080]
            healthcheck: { test: curl -f http://127.0.0.1:8080/, interval: 5s, timeout: 1s, retries: 2 }
            labels: { team: ops }
            """, ("app.conf", "key=value\n"))
        .Image("appchild", "from: app\nprovisioners:\n  - workdir: /srv\n")
        .Image("tool", "from: debian:bookworm-slim\nprovisioners:\n  - shell: { script: scripts/tool.sh }\n  - apt: [curl, jq]\n");

    private static IReadOnlyList<PlannedImage> Plan(ImageRepository repo, string prefix = "") =>
        BakePlanner.Plan(repo.Load(), LocalAptRepository.Empty(Path.Combine(repo.Root, "artifacts/apt")), new BakeNaming(prefix));

    [Fact]
    public void Each_provisioner_becomes_one_dockerfile_instruction_from_the_parents_hash_tag()
    {
        using var repo = Chain();
        var plan = Plan(repo, "t-");
        plan.Select(p => p.Name).Should().Equal("base", "app", "appchild", "tool");
        var (baseImage, app) = (plan[0], plan[1]);
        baseImage.Base!.Reference.Should().Be($"t-debootstrap-bookworm-minbase:{baseImage.Base.Key[..12]}");
        baseImage.From.Should().Be(baseImage.Base.Reference);
        app.From.Should().Be($"t-base:{baseImage.InputHash[..12]}");
        app.HashTag.Should().Be($"t-app:{app.InputHash[..12]}");
        app.Tags.Should().Equal("t-app:latest");

        var lines = app.Dockerfile.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        lines[0].Should().Be($"FROM t-base:{baseImage.InputHash[..12]}");
        lines[1].Should().Be("COPY --chown=root:adm [\"files/0/app.conf\", \"/etc/app.conf\"]");
        lines[2]
            .Should()
            .StartWith("RUN echo ")
            .And.EndWith(
                "| base64 -d > /tmp/pipeline-step && chmod +x /tmp/pipeline-step && env 'MODE=it'\\''s' /bin/sh -e /tmp/pipeline-step && "
                + "rm -f /tmp/pipeline-step"
            );
        lines[3].Should().Be("ENV NAME=\"a \\$b\" PORT=\"8080\"");
        lines[4].Should().Be("USER nobody");
        lines[5].Should().Be("CMD [\"/usr/bin/app\", \"--port\", \"8080\"]");
        lines[6].Should().Be("EXPOSE 8080");
        lines[7].Should().Be("HEALTHCHECK --interval=5000ms --timeout=1000ms --retries=2 CMD curl -f http://127.0.0.1:8080/");
        lines[8].Should().Be("LABEL \"team\"=\"ops\"");
        lines[9].Should().Be($"LABEL \"pipeline.image\"=\"app\" \"pipeline.input-hash\"=\"{app.InputHash}\"");
        app.Generated.OriginOf(3).Should().Be("provisioners/1 (shell scripts/app.sh)");
        app.Generated.Entries.Should().ContainSingle().Which.Mode.Should().Be((UnixFileMode)Convert.ToInt32("640", 8));
        plan[0]
            .Dockerfile.Should()
            .Contain("chmod +x /tmp/pipeline-step && /tmp/pipeline-step", "a script with a shebang runs with its own interpreter");
        plan[3].From.Should().Be("debian:bookworm-slim");
        plan[3]
            .Dockerfile.Should()
            .Contain(
                "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl jq && apt-get clean"
            );
    }

    [Fact]
    public void The_same_definitions_give_the_same_hashes_and_context_bytes()
    {
        using var repo = Chain();
        var first = Plan(repo);
        var second = Plan(repo);
        first.Select(p => p.InputHash).Should().Equal(second.Select(p => p.InputHash));
        first.Select(p => p.InputHash).Should().OnlyHaveUniqueItems();
        Tar(first[1]).Should().Equal(Tar(second[1]));
    }

    [Fact]
    public void Changing_one_script_changes_the_hash_of_the_images_using_it_and_their_descendants_only()
    {
        using var repo = Chain();
        var before = Plan(repo).ToDictionary(p => p.Name, p => p.InputHash);
        repo.Write("scripts/app.sh", "echo app, changed\n");
        var after = Plan(repo).ToDictionary(p => p.Name, p => p.InputHash);
        before.Keys.Where(k => before[k] != after[k]).Should().BeEquivalentTo("app", "appchild");

        repo.Write("images/app/app.conf", "key=other\n");
        var afterFile = Plan(repo).ToDictionary(p => p.Name, p => p.InputHash);
        after.Keys.Where(k => after[k] != afterFile[k]).Should().BeEquivalentTo("app", "appchild");

        repo.Write("scripts/base.sh", "#!/bin/sh\necho base 2\n");
        var afterBase = Plan(repo).ToDictionary(p => p.Name, p => p.InputHash);
        afterFile.Keys.Where(k => afterFile[k] != afterBase[k]).Should().BeEquivalentTo("base", "app", "appchild");
    }

    [Fact]
    public void The_debootstrap_key_covers_suite_variant_mirror_and_packages()
    {
        var a = new ImageSource.Debootstrap("bookworm", "minbase", "http://m/debian", ["tini"]);
        InputHash.Debootstrap(a).Should().Be(InputHash.Debootstrap(a with { Packages = ["tini"] }));
        new[]
        {
            a with
            {
                Suite = "trixie",
            },
            a with
            {
                Variant = "buildd",
            },
            a with
            {
                Mirror = "http://n/debian",
            },
            a with
            {
                Packages = [],
            },
        }
            .Select(InputHash.Debootstrap)
            .Should()
            .NotContain(InputHash.Debootstrap(a))
            .And.OnlyHaveUniqueItems();
        DebootstrapCache
            .Arguments(a, "/tmp/root")
            .Should()
            .Equal("--variant=minbase", "--include=tini", "bookworm", "/tmp/root", "http://m/debian");
    }

    [Fact]
    public void Debootstrap_runs_as_is_for_root_and_through_non_interactive_sudo_for_a_CI_runners_user()
    {
        string[] argv = ["debootstrap", "--variant=minbase", "bookworm", "/tmp/root", "http://m/debian"];

        DebootstrapCache.PrivilegedArguments(argv, asRoot: true).Should().Equal(argv);
        DebootstrapCache.PrivilegedArguments(argv, asRoot: false).Should().Equal(["sudo", "-n", "--", .. argv]);
    }

    [Fact]
    public void Our_packages_come_from_the_local_apt_repository_with_their_debs_in_the_hash()
    {
        using var repo = new ImageRepository()
            .Image("svc", "from: debian:bookworm\nprovisioners:\n  - packages: [heartbeat]\n")
            .Write("artifacts/apt/pool/heartbeat_1_amd64.deb", "deb v1")
            .Write("artifacts/apt/pool/libbeat_2_amd64.deb", "lib")
            .Write("artifacts/apt/Packages", """
                Package: heartbeat
                Version: 1
                Depends: adduser, libbeat (>= 2), libc6
                Description: x
                 more text
                Filename: pool/heartbeat_1_amd64.deb

                Package: libbeat
                Version: 2
                Filename: pool/libbeat_2_amd64.deb

                Package: unrelated
                Version: 3
                Filename: pool/unrelated_3_amd64.deb
                """);
        var apt = LocalAptRepository.Load(Path.Combine(repo.Root, "artifacts/apt"));
        var plan = BakePlanner.Plan(repo.Load(), apt, new BakeNaming());
        var svc = plan.Single();
        svc.Generated.Entries.Select(e => e.Path)
            .Should()
            .Equal("apt/0/Packages", "apt/0/heartbeat_1_amd64.deb", "apt/0/libbeat_2_amd64.deb");
        System
            .Text.Encoding.UTF8.GetString(svc.Generated.Entries[0].ReadAllBytes())
            .Should()
            .Contain("Filename: ./heartbeat_1_amd64.deb")
            .And.NotContain("unrelated");
        svc.Dockerfile.Should()
            .Contain("COPY apt/0/ /tmp/pipeline-apt/")
            .And.Contain("apt-get install -y --no-install-recommends heartbeat=1 libbeat=2 &&");

        repo.Write("artifacts/apt/pool/heartbeat_1_amd64.deb", "deb v2");
        BakePlanner.Plan(repo.Load(), apt, new BakeNaming()).Single().InputHash.Should().NotBe(svc.InputHash);

        var missing = new ImageRepository().Image("svc", "from: debian:bookworm\nprovisioners:\n  - packages: [nothere]\n");
        using (missing)
            FluentActions
                .Invoking(() => BakePlanner.Plan(missing.Load(), apt, new BakeNaming()))
                .Should()
                .Throw<PipelineException>()
                .WithMessage(
                    "images/svc/image.yml: provisioners/0: package 'nothere' is not in */Packages (run ./build.sh Packages; it has: "
                    + "heartbeat, libbeat, unrelated)"
                );
    }

    private static byte[] Tar(PlannedImage image)
    {
        using var stream = ContextArchive.ToStreamAsync(image.Generated, image.Dockerfile, CancellationToken.None).GetAwaiter().GetResult();
        using var reader = new TarReader(new MemoryStream(stream.ToArray()));
        reader.GetNextEntry()!.Name.Should().Be("Dockerfile");
        return stream.ToArray();
    }
}
