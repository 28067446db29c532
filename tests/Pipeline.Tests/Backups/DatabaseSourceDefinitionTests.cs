using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Definitions;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Backups;

public sealed class DatabaseSourceDefinitionTests
{
    private static DefinitionNode Yaml(string text) => DefinitionFile.Parse(text, "environments/test.yml", _ => null);

    private static BackupsDefinition Load(string yaml) => BackupsDefinition.Load(Yaml(yaml), new AbsolutePath("/repo"));

    [Fact]
    public void A_postgres_source_becomes_one_source_per_database_with_its_checks()
    {
        var definition = Load("""
            backups:
              bucket: pipeline-backups
              sets:
                app-db:
                  sources:
                    - postgres:
                        url: postgres://backup@db.example.test:6432
                        databases: [shop, audit]
                        checks:
                          - { sql: "select count(*) from orders", expect: ">= 1", database: shop }
                          - { sql: "select 1", expect: "1" }
            """);

        var set = definition.Sets.Single();
        set.IsDatabases.Should().BeTrue();
        set.Sources.Select(s => (s.Name, s.Kind, s.Path)).Should().Equal(
            ("postgres://backup@db.example.test:6432/shop", SourceKind.Postgres, "shop"),
            ("postgres://backup@db.example.test:6432/audit", SourceKind.Postgres, "audit"));
        set.Sources[0].Postgres!.Connection.Should()
            .Be(new global::Pipeline.Tools.Postgres.PostgresConnection("db.example.test", 6432, "backup"));
        set.Sources[0].Postgres!.Checks.Select(c => c.Sql).Should().Equal("select count(*) from orders", "select 1");
        set.Sources[1].Postgres!.Checks.Select(c => c.Sql).Should().Equal("select 1");
    }

    [Fact]
    public void A_password_in_the_url_is_registered_as_a_secret_and_kept_out_of_the_source_name()
    {
        var session = new BuildSession([]);
        session.ActivateForThisFlow();
        try
        {
            var set = Load(
                "backups:\n  bucket: b1b\n  sets:\n    db: { sources: [{ postgres: { url: 'postgres://u:s3cr%40t@h', databases: [d] } }] }"
            ).Sets.Single();

            set.Sources.Single().Name.Should().Be("postgres://u@h:5432/d");
            set.Sources.Single().Postgres!.Connection.Password.Should().Be("s3cr@t");
            session.Secrets.Mask("password s3cr@t").Should().Be("password ****");
        }
        finally { session.Deactivate(); }
    }

    [Theory]
    [InlineData("[{ postgres: { url: 'mysql://u@h', databases: [d] } }]", "sources/0/postgres/url: 'mysql://u@h' is not a postgres://")]
    [InlineData("[{ postgres: { url: 'postgres://u:pw@h/db', databases: [d] } }]",
        "sources/0/postgres/url: 'postgres://u:****@h/db' names a database")]
    [InlineData("[{ postgres: { url: 'postgres://h', databases: [d] } }]", "names no user")]
    [InlineData("[{ postgres: { url: 'postgres://u@h', databases: [] } }]", "sources/0/postgres/databases: must name at least one")]
    [InlineData("[{ postgres: { url: 'postgres://u@h', databases: ['a;b'] } }]", "databases/0: 'a;b' is not a database name")]
    [InlineData("[{ postgres: { url: 'postgres://u@h' } }]", "sources/0/postgres: 'databases' is missing")]
    [InlineData("[{ postgres: { url: 'postgres://u@h', databases: [d], checks: [{ sql: 'select 1', expect: '>= x' }] } }]",
        "checks/0/expect: '>= x' is not a comparison")]
    [InlineData("[{ postgres: { url: 'postgres://u@h', databases: [d], checks: [{ sql: 'select 1', expect: '1', database: e }] } }]",
        "a check names the database 'e'")]
    [InlineData("[{ postgres: { url: 'postgres://u@h', databases: [d] }, path: /x }]", "sources/0/path: unknown key. Allowed: postgres")]
    [InlineData("[/srv/files, { postgres: { url: 'postgres://u@h', databases: [d] } }]", "mixes databases and files")]
    public void Mistakes_are_reported_with_the_key_path(string sources, string expected)
    {
        var load = () => Load($"backups:\n  bucket: b1b\n  sets:\n    db:\n      sources: {sources}");

        load.Should().Throw<DefinitionException>().Which.Message.Should().StartWith("environments/test.yml: ").And.Contain(expected)
            .And.NotContain(":pw@");
    }

    [Theory]
    [InlineData(">= 1", "5", null)]
    [InlineData(">= 1", "0", "returned 0, expected >= 1")]
    [InlineData("= 42", " 42\n", null)]
    [InlineData("!= 0", "0", "returned 0, expected != 0")]
    [InlineData("< 10", "9.5", null)]
    [InlineData("> 3", "abc", "returned 'abc', not a number (expected > 3)")]
    [InlineData("ok", "ok", null)]
    [InlineData("ok", "nope", "returned 'nope', expected 'ok'")]
    public void A_check_judges_the_value_its_query_returned(string expect, string value, string? problem)
    {
        new DrillCheck("select x", expect).Judge(value).Should().Be(problem);
    }

    [Fact]
    public void A_scratch_database_name_is_safe_and_within_postgres_limit()
    {
        var now = new DateTimeOffset(2026, 12, 6, 3, 17, 0, TimeSpan.Zero);

        RestoreDrill.ScratchName("Shop-DB", now).Should().Be("drill_shop_db_20261206031700");
        RestoreDrill.ScratchName(new string('x', 63), now).Length.Should().Be(63);
    }
}
