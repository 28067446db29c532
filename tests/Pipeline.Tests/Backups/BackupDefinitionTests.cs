using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Definitions;
using Xunit;

namespace Pipeline.Tests.Backups;

public sealed class BackupDefinitionTests
{
    private static DefinitionNode Yaml(string text) => DefinitionFile.Parse(text, "environments/test.yml", _ => null);

    private const string Valid = """
        s3: { endpoint: "https://s3.example.test", region: eu-central-1, path-style: false }
        backups:
          bucket: pipeline-backups
          prefix: prod/
          time-zone: Europe/Berlin
          grace-period: 2h
          ssh: { known_hosts: environments/prod.known_hosts, identity: keys/backup, jump: ops@bastion.example.test:2222 }
          sets:
            acme:
              sources: [ .nuke/temp/acme ]
              retention: { last: 3, daily: 7 }
            grafana:
              sources:
                - { container: grafana, path: /var/lib/grafana }
                - { host: ops@10.0.0.5, path: /srv/prometheus, name: prometheus }
              exclude: ["*.tmp", "cache/**"]
              bucket: other-bucket
              retention: { monthly: 6, time-zone: America/New_York }
        """;

    [Fact]
    public void A_complete_backups_section_loads_with_defaults_filled_in()
    {
        var definition = BackupsDefinition.Load(Yaml(Valid), new global::Pipeline.Engine.AbsolutePath("/repo"));

        definition.GracePeriod.Should().Be(TimeSpan.FromHours(2));
        var acme = definition.Sets[0];
        acme.Should().Match<BackupSet>(s => s.Name == "acme" && s.Bucket == "pipeline-backups" && s.Prefix == "prod");
        acme.Sources.Single().Should().Be(new BackupSource(".nuke/temp/acme", SourceKind.Local, "/repo/.nuke/temp/acme"));
        acme.Retention.Should().Be(new RetentionPolicy(3, 7, 4, 12, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")));
        var grafana = definition.Sets[1];
        grafana.Bucket.Should().Be("other-bucket");
        grafana.Sources.Should().Equal(
            new BackupSource("grafana:/var/lib/grafana", SourceKind.Container, "/var/lib/grafana", Container: "grafana"),
            new BackupSource("prometheus", SourceKind.Ssh, "/srv/prometheus", Host: "ops@10.0.0.5"));
        grafana.Retention.TimeZone.Id.Should().Be("America/New_York");
        definition
            .Ssh.Should()
            .Be(
                new BackupSshDefinition(
                    "/repo/environments/prod.known_hosts",
                    "/repo/keys/backup",
                    new Pipeline.Tools.Ssh.SshEndpoint("bastion.example.test", "ops", 2222)
                )
            );
        definition
            .Ssh!.Target("ops@10.0.0.5")
            .Key.Should()
            .Be("ops@10.0.0.5:22 via ops@bastion.example.test:2222 pinned by /repo/environments/prod.known_hosts");
    }

    [Fact]
    public void The_s3_section_gives_endpoint_region_and_path_style()
    {
        S3Definition.Load(Yaml(Valid)).Should().Be(new S3Definition("https://s3.example.test", "eu-central-1", false));
    }

    [Theory]
    [InlineData("backups:\n  sets:\n    a: { sources: [x] }", "backups/sets/a: 'bucket' is missing")]
    [InlineData(
        "backups:\n  bucket: b1b\n  sets:\n    a: { sources: [x], retension: {} }",
        "backups/sets/a/retension: unknown key. Did you mean 'retention'?"
    )]
    [InlineData(
        "backups:\n  bucket: b1b\n  time-zone: Mars/Olympus\n  sets:\n    a: { sources: [x] }",
        "backups/time-zone: 'Mars/Olympus' is not an IANA time zone"
    )]
    [InlineData(
        "backups:\n  bucket: b1b\n  sets:\n    a: { sources: [x], retention: { last: 0, daily: 0, weekly: 0, monthly: 0 } }",
        "backups/sets/a/retention: keeps nothing"
    )]
    [InlineData(
        "backups:\n  bucket: b1b\n  sets:\n    a: { sources: [{ container: c, path: relative }] }",
        "backups/sets/a/sources/0/path: 'relative' must be absolute"
    )]
    [InlineData("backups:\n  bucket: b1b\n  sets:\n    Bad_Name: { sources: [x] }", "backups/sets/Bad_Name: a set name is lower-case")]
    [InlineData("backups:\n  bucket: b1b\n  sets:\n    a: { sources: [x], exclude: [/abs] }", "'/abs' must be relative to the source")]
    [InlineData("backups:\n  bucket: UPPER\n  sets:\n    a: { sources: [x] }", "backups/bucket: 'UPPER' is not a valid bucket name")]
    [InlineData(
        "backups:\n  bucket: b1b\n  sets:\n    a: { sources: [{ host: ops@h, path: /srv }] }",
        "backups: 'ssh' is missing: the source ops@h:/srv is on a host"
    )]
    [InlineData(
        "backups:\n  bucket: b1b\n  sets:\n    a: { sources: [{ host: 'ops@h:99999', path: /srv }] }",
        "backups/sets/a/sources/0/host: 'ops@h:99999' is not a host"
    )]
    [InlineData(
        "backups:\n  bucket: b1b\n  ssh: { known_hosts: k, jump: 'a b' }\n  sets:\n    a: { sources: [x] }",
        "backups/ssh/jump: 'a b' is not a jump host"
    )]
    public void Mistakes_are_reported_with_file_and_key_path(string yaml, string expected)
    {
        var load = () => BackupsDefinition.Load(Yaml(yaml), new global::Pipeline.Engine.AbsolutePath("/repo"));

        load.Should().Throw<DefinitionException>().Which.Message.Should().StartWith("environments/test.yml: ").And.Contain(expected);
    }

    [Fact]
    public void A_remote_endpoint_without_credentials_is_a_usage_error_and_the_local_s3rver_uses_its_default_keys()
    {
        var remote = () => new S3Definition("https://s3.example.test", "us-east-1", false).WithCredentials(null, null);
        remote.Should().Throw<Pipeline.Engine.UsageException>().WithMessage("*--s3-access-key*");

        new S3Definition("http://127.0.0.1:23000", "us-east-1", true).WithCredentials(null, null).AccessKey.Should().Be("S3RVER");
        new S3Definition("https://s3.example.test", "us-east-1", false).WithCredentials("AK", "SK").SecretKey.Should().Be("SK");
    }

    [Fact]
    public void Credentials_never_show_in_the_endpoint_text()
    {
        new Pipeline.Tools.S3.S3Endpoint("https://s3.example.test", "us-east-1", false, "AKIDVISIBLE", "SECRETVISIBLE").ToString()
            .Should().NotContain("AKIDVISIBLE").And.NotContain("SECRETVISIBLE");
    }

    [Fact]
    public void Selecting_an_unknown_set_suggests_the_closest_name()
    {
        var definition = BackupsDefinition.Load(Yaml(Valid), new global::Pipeline.Engine.AbsolutePath("/repo"));

        definition.Select(["grafana"]).Single().Name.Should().Be("grafana");
        var select = () => definition.Select(["grafna"]);
        select.Should().Throw<Pipeline.Engine.UsageException>().WithMessage("*grafana*");
    }
}
