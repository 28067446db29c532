using FluentAssertions;
using Pipeline.Tools.Postgres;
using Xunit;

namespace Pipeline.Tests.Tools.Postgres;

public sealed class PostgresCommandsTests
{
    private static readonly PostgresConnection Server = new("127.0.0.1", 25870, "backup", "pa ss'word");

    [Fact]
    public void Pg_dump_writes_the_custom_format_uncompressed_to_standard_output()
    {
        PostgresCommands.DumpArguments(Server, "shop").Should().Equal(
            "--host", "127.0.0.1", "--port", "25870", "--username", "backup", "--no-password", "--format=custom", "--compress=0",
            "--dbname", "shop");
    }

    [Fact]
    public void Pg_restore_reads_standard_input_into_the_target_database_and_stops_at_the_first_error()
    {
        PostgresCommands.RestoreArguments(Server, "shop_clone").Should().EndWith(
            ["--exit-on-error", "--no-owner", "--no-acl", "--dbname", "shop_clone"]);
        PostgresCommands.CreateArguments(Server, "shop_clone").Should().EndWith(["--maintenance-db", "postgres", "shop_clone"]);
        PostgresCommands.DropArguments(Server, "drill_x").Should().EndWith(["--if-exists", "--force", "drill_x"]);
        PostgresCommands.QueryArguments(Server, "shop", "select 1").Should().EndWith(["--dbname", "shop", "--command", "select 1"]);
    }

    [Fact]
    public void The_password_travels_in_the_environment_never_in_arguments_or_names()
    {
        var dump = PostgresCommands.Dump(Server, "shop");

        dump.Arguments.Should().NotContain("pa ss'word");
        dump.ToString().Should().NotContain("pa ss'word");
        dump.EnvironmentVariables.Should().Contain("PGPASSWORD", "pa ss'word");
        Server.ToString().Should().Be("postgres://backup@127.0.0.1:25870");
        (Server with { Password = null }).Environment.Should().BeEmpty();
    }

    [Theory]
    [InlineData("postgres://u@h", "h", 5432, "u", null)]
    [InlineData("postgresql://u%40corp:p%3Aw@10.0.0.5:6432/", "10.0.0.5", 6432, "u@corp", "p:w")]
    public void A_server_url_is_parsed(string url, string host, int port, string user, string? password)
    {
        PostgresConnection.TryParse(url, out _).Should().Be(new PostgresConnection(host, port, user, password));
    }
}
