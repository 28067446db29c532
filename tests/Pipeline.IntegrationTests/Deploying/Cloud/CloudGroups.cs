using Pipeline.Deploying;
using Pipeline.Deploying.Cloud;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Rolling;
using Pipeline.Tools.Aws;
using Pipeline.Tools.Gcp;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>The aws-asg and gcp-mig groups of the cloud tests, and their rollouts wired to the local fakes.</summary>
internal static class CloudGroups
{
    public static readonly AwsCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    public const string EcrImage =
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/pipeline/heartbeat@sha256:cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34";
    public const string GarImage =
        "europe-docker.pkg.dev/pipeline-test/pipeline/heartbeat@sha256:cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34";
    public const string Secret = "s3cr3t-value-that-must-not-leak";

    public static GroupDefinition Aws(int count = 4, string onFailure = "rollback", int minHealthy = 66) =>
        EnvironmentDeployment
            .Parse(
                $$"""
                groups:
                  api:
                    provider: aws-asg
                    aws: { region: eu-west-1, auto_scaling_group: heartbeat-api, launch_template: heartbeat-api, checkpoints: [50], alarms: [heartbeat-api-5xx] }
                    image: "{{EcrImage}}"
                    count: {{count}}
                    ports: { container: 8080 }
                    env: { HEARTBEAT_PORT: "8080" }
                    rolling: { batch: 34%, min_healthy_percent: {{minHealthy}}, warmup: 60s, bake: 5m, on_failure: {{onFailure}} }
                    outputs: { file_sd: artifacts/deploy/api.file_sd.json }
                """,
                "environments/test-aws.yml",
                "test-aws"
            )
            .Groups.Single();

    public static GroupDefinition Gcp(string endpoint, int count = 4) => EnvironmentDeployment.Parse($$"""
        groups:
          edge:
            provider: gcp-mig
            gcp:
              project: pipeline-test
              zone: europe-west1-b
              instance_group_manager: heartbeat-edge
              endpoint: "{{endpoint}}"
              subnetwork: edge
              service_account: heartbeat@pipeline-test.iam.gserviceaccount.com
              labels: { team: edge }
            image: "{{GarImage}}"
            count: {{count}}
            ports: { container: 8080 }
            env: { HEARTBEAT_PORT: "8080", HEARTBEAT_NAME: edge }
            secret_env: { HEARTBEAT_TOKEN: "{{Secret}}" }
            rolling: { max_surge: 1, min_healthy_percent: 66, on_failure: rollback }
            outputs: { file_sd: artifacts/deploy/edge.file_sd.json }
        """, "environments/test-gcp.yml", "test-gcp").Groups.Single();

    public static AwsAsgRollout AwsRollout(
        GroupDefinition group,
        AwsCloudFake fake,
        string journal,
        AwsCredentials? credentials = null,
        TimeSpan? timeout = null
    )
    {
        var http = new HttpClient();
        return new AwsAsgRollout(group,
            new AwsQueryClient(http, fake.Endpoint, "eu-west-1", "ec2", "2016-11-15", credentials ?? Credentials),
            new AwsQueryClient(http, fake.Endpoint, "eu-west-1", "autoscaling", "2011-01-01", credentials ?? Credentials),
            new DeployJournal(journal))
        { PollInterval = TimeSpan.FromMilliseconds(5), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public static GcpMigRollout GcpRollout(GroupDefinition group, GcpCloudFake fake, string journal, TimeSpan? timeout = null) =>
        new(
            group,
            new GcpComputeClient(new HttpClient(), fake.Endpoint, GcpCloudFake.Project, GcpCloudFake.Token),
            new DeployJournal(journal)
        )
        {
            PollInterval = TimeSpan.FromMilliseconds(5),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    public static string TempRoot() => Directory.CreateTempSubdirectory("pipeline-cloud-").FullName;
}
