using Pipeline.IntegrationTests.Deploying.Cloud;
using Pipeline.IntegrationTests.Dns;
using Pipeline.Tools.Aws;
using Pipeline.Tools.S3;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// Production's clouds as the deploy-production job reaches them, each under its public name over TLS
/// (<see cref="HttpsStandIns"/>): the LOCAL FAKES of AWS EC2 and Auto Scaling (<see cref="AwsCloudFake"/>, at
/// ec2/autoscaling.eu-west-1.amazonaws.com), Route 53 (<see cref="FakeRoute53"/>, at route53.amazonaws.com) and Compute
/// Engine (<see cref="GcpCloudFake"/>, at compute.googleapis.com), clouds that cannot be reached from here, each refereed
/// by its official SDK in its own tests; and ECR, a real registry (<see cref="RegistryStandIn"/>) at production.yml's
/// address. The groups, zone and project are production.yml's. The role the job's OIDC step assumes is s3rver's keys with
/// a session token, as an assumed role's credentials come: production's lock bucket (<see cref="ProductionBackupsStandIn"/>)
/// takes those keys, and the AWS fakes refuse any request that does not carry the token.
/// </summary>
public sealed class ProductionCloudStandIn : IAsyncDisposable
{
    public const string EcrAddress = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    /// <summary>ECR's basic-auth user is literally AWS; the password is what `aws ecr get-login-password` prints.</summary>
    public const string EcrUser = "AWS";
    public const string EcrPassword = "eyJwYXlsb2FkIjoiZWNyLXN0YW5kLWluIn0";
    public const string Zone = "example.com", HostedZone = "Z0123456789EXAMPLE", Project = "pipeline-prod";

    /// <summary>What aws-actions/configure-aws-credentials exports after assuming production.yml's ci/aws/role.</summary>
    public static AwsCredentials Role { get; } =
        new(S3Endpoint.S3rverDefaultKey, S3Endpoint.S3rverDefaultKey, "IQoJb3JpZ2luX2VjEHsa_runner_stand_in_session_token");

    private ProductionCloudStandIn(AwsCloudFake aws, FakeRoute53 route53, GcpCloudFake gcp, RegistryStandIn ecr) =>
        (Aws, Route53, Gcp, Ecr) = (aws, route53, gcp, ecr);

    public AwsCloudFake Aws { get; }
    public FakeRoute53 Route53 { get; }
    public GcpCloudFake Gcp { get; }
    public RegistryStandIn Ecr { get; }

    public IReadOnlyList<HttpsStandIn> StandIns =>
    [
        new(["autoscaling.eu-west-1.amazonaws.com", "ec2.eu-west-1.amazonaws.com"], Aws.Endpoint.Port),
        new(["route53.amazonaws.com"], Route53.Endpoint.Port),
        new(["compute.googleapis.com"], new Uri(Gcp.Endpoint).Port),
        Ecr.StandIn,
    ];

    /// <summary>The role's credentials as the OIDC step exports them into the job's environment.</summary>
    public static IReadOnlyDictionary<string, string> RoleVariables { get; } = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = Role.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = Role.SecretAccessKey,
        ["AWS_SESSION_TOKEN"] = Role.SessionToken!,
    };

    public static async Task<ProductionCloudStandIn> StartAsync(string folder, CancellationToken ct)
    {
        var referee = await CloudReferee.SharedAsync();
        var ecr = await RegistryStandIn.StartAsync(Path.Combine(folder, "ecr"), EcrAddress, EcrUser, EcrPassword, ct);
        return new ProductionCloudStandIn(
            new AwsCloudFake(referee, Role, AwsCloudFake.Refreshes.Succeed, anyHost: true),
            new FakeRoute53(referee, Role, Zone, HostedZone, anyHost: true),
            new GcpCloudFake(GcpCloudFake.Rollouts.Stabilise, project: Project, anyHost: true),
            ecr
        );
    }

    public async ValueTask DisposeAsync()
    {
        Aws.Dispose();
        Route53.Dispose();
        Gcp.Dispose();
        await Ecr.DisposeAsync();
    }
}
