using FluentAssertions;
using Pipeline.Clustering;
using Pipeline.Definitions;
using Pipeline.Tests.Baking;
using Xunit;

namespace Pipeline.Tests.Clustering;

public sealed class ClusterChecksLoaderTests
{
    private static ClusterChecks Parse(string yaml) =>
        ClusterChecksLoader.Parse(yaml, "checks.yml", n => n == "CLUSTER_PASSWORD" ? "s3cret" : null);

    private static string ErrorOf(string yaml) => Assert.Throws<DefinitionException>(() => Parse(yaml)).Message;

    private const string Lb = "load-balancer: { service: lb, port: 80 }\n";

    [Fact]
    public void The_repository_checks_file_has_every_kind_and_a_failover_for_each_app_instance()
    {
        var root = ImageRepository.ProjectRoot();
        var checks = ClusterChecksLoader.Load(Path.Combine(root, "environments/virtual/checks.yml"), "checks.yml", n =>
            n == "CLUSTER_PASSWORD" ? "pw" : null
        );

        checks.LoadBalancer.Should().Be(new ServiceEndpoint("lb", 80));
        checks.Checks.Select(CheckRunner.Kind).Distinct().Should().BeEquivalentTo(["http", "tcp", "exec", "failover"]);
        checks
            .Checks.OfType<FailoverCheck>()
            .Select(f => (f.Service, f.Action))
            .Should()
            .BeEquivalentTo([("app1", FailoverAction.Stop), ("app2", FailoverAction.Kill)]);
        checks.Checks.OfType<HttpCheck>().Should().Contain(h => h.Auth == new BasicAuth("cluster", "pw"));
    }

    [Fact]
    public void An_http_check_reads_method_headers_auth_status_json_and_pattern_and_defaults_to_the_load_balancer()
    {
        var check = (HttpCheck)Parse(Lb + """
            checks:
              - name: notify
                http:
                  method: post
                  path: /notify
                  headers: { X-Test: "1" }
                  auth: { user: cluster, password: "${CLUSTER_PASSWORD}" }
                  body: '{"text":"hi"}'
                  status: 202
                  json: { accepted: "true", id: "*" }
                  body-pattern: "acc"
                  timeout: 2s
            """).Checks.Single();

        check
            .Should()
            .BeEquivalentTo(
                new HttpCheck(
                    "notify",
                    new ServiceEndpoint("lb", 80),
                    "POST",
                    "/notify",
                    new Dictionary<string, string> { ["X-Test"] = "1" },
                    new BasicAuth("cluster", "s3cret"),
                    "{\"text\":\"hi\"}",
                    202,
                    new Dictionary<string, string> { ["accepted"] = "true", ["id"] = "*" },
                    "acc",
                    TimeSpan.FromSeconds(2)
                )
            );
    }

    [Fact]
    public void A_check_against_one_service_needs_the_port_inside_its_container()
    {
        ErrorOf(Lb + "checks:\n  - name: a\n    http: { service: app1, path: /heartbeat }\n")
            .Should().StartWith("checks.yml: checks/0/http: 'port' is missing (the port inside the service's container, e.g. 8080)");
    }

    [Theory]
    [InlineData("checks:\n  - name: a\n    htp: { path: / }\n", "checks/0/htp", "Did you mean 'http'")]
    [InlineData(
        "checks:\n  - name: a\n    http: { path: / }\n    tcp: { service: lb, port: 80 }\n",
        "checks/0",
        "exactly one of http, tcp, exec, failover (found http, tcp)"
    )]
    [InlineData("checks:\n  - name: a\n    http: { path: heartbeat }\n", "checks/0/http/path", "must start with /")]
    [InlineData(
        "checks:\n  - name: a\n    http: { path: /, body-pattern: '(' }\n",
        "checks/0/http/body-pattern",
        "not a valid regular expression"
    )]
    [InlineData("checks:\n  - name: a\n    http: { path: /, status: 99 }\n", "checks/0/http/status", "must be at least 100")]
    [InlineData("checks:\n  - name: a\n    exec: { service: app1, command: [] }\n", "checks/0/exec/command", "must name a program")]
    [InlineData("checks:\n  - name: a\n    failover: { service: lb }\n", "checks/0/failover/service", "is the load balancer")]
    [InlineData(
        "checks:\n  - name: a\n    failover: { service: app1, action: pause }\n",
        "checks/0/failover/action",
        "must be one of stop, kill"
    )]
    [InlineData("checks:\n  - name: a\n    failover: { service: app1, within: 0s }\n", "checks/0/failover/within", "must be more than 0s")]
    [InlineData(
        "checks:\n  - name: a\n    tcp: { service: lb, port: 80 }\n  - name: a\n    tcp: { service: lb, port: 80 }\n",
        "checks/1/name",
        "used by an earlier check"
    )]
    [InlineData(
        "checks:\n  - name: a\n    http: { auth: { user: u, password: '${NOPE}' } }\n",
        "checks/0/http/auth/password",
        "${NOPE} has no value"
    )]
    public void Mistakes_are_one_line_with_the_key_path(string checks, string path, string message)
    {
        var error = ErrorOf(Lb + checks);
        error.Should().StartWith($"checks.yml: {path}:").And.Contain(message).And.NotContain("\n");
    }

    [Fact]
    public void The_load_balancer_is_required()
    {
        Assert.Throws<DefinitionException>(() => Parse("checks:\n  - name: a\n    tcp: { service: lb, port: 80 }\n")).Message
            .Should().Contain("'load-balancer' is missing");
    }
}
