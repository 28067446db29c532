using FluentAssertions;
using Pipeline.Baking;
using Pipeline.Definitions;
using Xunit;

namespace Pipeline.Tests.Baking;

public sealed class ImageDefinitionTests
{
    private const string Base = """
        from:
          debootstrap:
            suite: bookworm
            packages: [tini, ca-certificates]
        provisioners:
          - shell:
              script: scripts/setup.sh
              env: { GREETING: hello }
          - file: { source: init.sh, destination: /usr/local/bin/init, mode: "0755", owner: "root:root" }
          - apt: [curl]
          - env: { A: "1" }
          - user: nobody
          - workdir: /srv
        cmd: [/bin/bash]
        expose: [8080, 53/udp]
        healthcheck: { test: [CMD, curl, -f, http://127.0.0.1/], interval: 2s }
        labels: { team: ops }
        save: true
        """;

    [Fact]
    public void A_full_definition_loads_into_records_with_defaults()
    {
        using var repo = new ImageRepository().Write("scripts/setup.sh", "echo hi").Image("base", Base, ("init.sh", "#!/bin/sh"));
        var image = repo.Load()["base"];
        image
            .From.Should()
            .BeEquivalentTo(new ImageSource.Debootstrap("bookworm", "minbase", "http://deb.example/debian", ["ca-certificates", "tini"]));
        image
            .Provisioners.Select(p => p.KeyPath)
            .Should()
            .Equal("provisioners/0", "provisioners/1", "provisioners/2", "provisioners/3", "provisioners/4", "provisioners/5");
        image.Provisioners[0].Should().BeOfType<Provisioner.Shell>().Which.Environment.Should().Contain("GREETING", "hello");
        image.Provisioners[1].Should().BeOfType<Provisioner.File>().Which.Mode.Should().Be("0755");
        image.Settings.Expose.Should().Equal("8080", "53/udp");
        image.Settings.Healthcheck!.Interval.Should().Be(TimeSpan.FromSeconds(2));
        image.Settings.Healthcheck.Shell.Should().BeFalse();
        image.Outputs.Should().BeEquivalentTo(new ImageOutputs(["base:latest"], true));
    }

    [Fact]
    public void From_names_an_image_of_images_or_a_registry_reference()
    {
        using var repo = new ImageRepository()
            .Image("base", "from: debian:bookworm-slim\n")
            .Image("app", "from: base\n")
            .Image("other", "from: { reference: registry.example/x:1 }\n");
        var catalog = repo.Load();
        catalog.Images.Select(i => i.Name).Should().Equal("base", "app", "other");
        catalog["base"].From.Should().Be(new ImageSource.Registry("debian:bookworm-slim"));
        catalog["app"].Parent.Should().Be("base");
        catalog.WithDescendants("base").Should().Equal("base", "app");
    }

    [Theory]
    [InlineData(
        "from: base\nprovisioners:\n  - shell: { scirpt: x.sh }\n",
        "images/app/image.yml: provisioners/0/shell/scirpt: unknown key. Did you mean 'script'?*(line 3, column *"
    )]
    [InlineData("from: bsae\n", "images/app/image.yml: from: 'bsae' is not an image of images/*base*")]
    [InlineData("from: { image: nothing }\n", "images/app/image.yml: from/image: 'nothing' is not an image of images/*")]
    [InlineData(
        "from: base\nprovisioners:\n  - shell: { script: scripts/missing.sh }\n",
        "images/app/image.yml: provisioners/0/shell/script: 'scripts/missing.sh' does not exist*"
    )]
    [InlineData(
        "from: base\nprovisioners:\n  - file: { source: ../../../etc/passwd, destination: /x }\n",
        "images/app/image.yml: provisioners/0/file/source: '../../../etc/passwd' must be a relative path inside the repository*"
    )]
    [InlineData(
        "from: base\nprovisioners:\n  - apt: [curl]\n    user: x\n",
        "images/app/image.yml: provisioners/0: must have exactly one of*"
    )]
    [InlineData(
        "from: base\nprovisioners:\n  - shell: { inline: [true], script: scripts/a.sh }\n",
        "*provisioners/0/shell: needs either script:*"
    )]
    [InlineData(
        "from: base\nprovisioners:\n  - file: { source: x, destination: /x, mode: 999 }\n",
        "*provisioners/0/file/mode: '999' must be octal permissions*"
    )]
    [InlineData("from: base\nhealthcheck: { test: true, retries: 0 }\n", "*healthcheck/retries: must be at least 1*")]
    [InlineData("from: base\nexpose: [http]\n", "*expose/0: 'http' must be a port*")]
    [InlineData("from: base\nexpose: [8080, 70000]\n", "images/app/image.yml: expose/1: port 70000 is outside 1-65535 (line 2, column 16)")]
    [InlineData("from: base\nexpose: [0/udp]\n", "images/app/image.yml: expose/0: port 0 is outside 1-65535 (line 2, column 10)")]
    [InlineData("from: base\nexpose: 99999\n", "images/app/image.yml: expose: port 99999 is outside 1-65535*")]
    [InlineData(
        "from: base\nhealthcheck: { test: true, retries: 99999999999 }\n",
        "*healthcheck/retries: must be at most 100 (line 2, column 37)"
    )]
    [InlineData(
        "from: base\nhealthcheck: { test: true, interval: 99999999999999d }\n",
        "*healthcheck/interval: '99999999999999d' is too long (at most 10675199 days) (line 2, column 38)"
    )]
    [InlineData("from: base\ncmd: [\"${MISSING}\"]\n", "*cmd/0: ${MISSING} has no value*")]
    [InlineData("fromm: base\n", "images/app/image.yml: fromm: unknown key. Did you mean 'from'?*")]
    [InlineData("provisioners: []\n", "images/app/image.yml: (top level): 'from' is missing*")]
    [InlineData("from: base\n  bad: [\n", "images/app/image.yml: (top level): not valid YAML*")]
    public void Invalid_definitions_fail_with_one_line_naming_file_and_key_path(string yaml, string expected)
    {
        using var repo = new ImageRepository().Image("base", "from: debian:bookworm\n").Image("app", yaml, ("x", "x"));
        var error = FluentActions.Invoking(() => repo.Load()).Should().Throw<DefinitionException>().Which;
        error.Message.Should().Match(expected);
        error.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Images_that_start_from_each_other_are_a_cycle()
    {
        using var repo = new ImageRepository().Image("a", "from: c\n").Image("b", "from: a\n").Image("c", "from: b\n");
        FluentActions.Invoking(() => repo.Load()).Should().Throw<DefinitionException>()
            .WithMessage("images/*/image.yml: from: images form a cycle: * → * → * → * (one of them must start from another base)");
    }

    [Fact]
    public void Variables_are_substituted_from_parameters_and_environment()
    {
        using var repo = new ImageRepository().Image("app", "from: debian:${SUITE}\nlabels: { env: \"${ENVIRONMENT:-local}\" }\n");
        var image = repo.Load(name => name == "SUITE" ? "trixie" : null)["app"];
        image.From.Should().Be(new ImageSource.Registry("debian:trixie"));
        image.Settings.Labels.Should().Contain("env", "local");
    }

    [Fact]
    public void The_example_images_of_the_repository_are_valid()
    {
        var catalog = ImageCatalog.Load(new(ImageRepository.ProjectRoot()), _ => null);
        catalog.Images.Select(i => i.Name).Should().StartWith("base").And.Contain(["heartbeat", "haproxy"]);
        catalog["heartbeat"].Provisioners.OfType<Provisioner.Packages>().Should().ContainSingle().Which.Names.Should().Equal("heartbeat");
        catalog["heartbeat"].Settings.Healthcheck!.Command.Should().ContainSingle().Which.Should().Contain("/heartbeat");
    }

    [Fact]
    public void The_annotated_example_documents_a_valid_definition_with_every_provisioner()
    {
        using var repo = new ImageRepository().Image("base", "from: debian:bookworm\n").Write("scripts/base-setup.sh", "true");
        var example = File.ReadAllText(Path.Combine(ImageRepository.ProjectRoot(), "images", "example.image.yml"));
        repo.Image("example", example, ("app.conf", "x=1"));
        var image = repo.Load()["example"];
        image
            .Provisioners.Select(p => p.GetType().Name)
            .Distinct()
            .Should()
            .BeEquivalentTo("File", "Shell", "Apt", "Packages", "Env", "User", "Workdir");
        image.Outputs.Tags.Should().Equal("example:latest", "example:local");
        image.Settings.Healthcheck!.StartPeriod.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("deb http://deb.debian.org/debian bookworm main\n", "http://deb.debian.org/debian")]
    [InlineData("# c\ndeb [arch=amd64] http://mirror.example/debian/ bookworm main\n", "http://mirror.example/debian")]
    [InlineData(
        "Types: deb\nURIs: http://deb.debian.org/debian-security\n\nTypes: deb\nURIs: http://deb.debian.org/debian\n",
        "http://deb.debian.org/debian"
    )]
    [InlineData("deb http://ppa.example/ubuntu jammy main\n", null)]
    public void The_default_mirror_is_read_from_apt_sources(string sources, string? mirror) =>
        DebianMirror.Parse(sources).Should().Be(mirror);
}
