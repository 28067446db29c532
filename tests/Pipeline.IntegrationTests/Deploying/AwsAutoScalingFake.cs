using System.Text;
using Pipeline.Deploying.Cloud;
using Pipeline.IntegrationTests.CI;
using Pipeline.Tools.Aws;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// A LOCAL FAKE of the AWS Auto Scaling and EC2 Query APIs on 127.0.0.1 (AWS itself is unreachable here): it checks
/// each request's SigV4 signature with the test secret, and answers CreateLaunchTemplateVersion,
/// StartInstanceRefresh, DescribeInstanceRefreshes (InProgress, then Successful — or Failed, then after
/// RollbackInstanceRefresh RollbackInProgress and RollbackSuccessful) and CancelInstanceRefresh in the documented XML shapes.
/// </summary>
public sealed class AwsAutoScalingFake : IDisposable
{
    private readonly LocalHttpServer _server;
    private readonly AwsCredentials _credentials;
    private readonly bool _refreshFails;
    private int _describes;
    private bool _rollbackAsked;

    public AwsAutoScalingFake(AwsCredentials credentials, bool refreshFails)
    {
        (_credentials, _refreshFails) = (credentials, refreshFails);
        _server = new LocalHttpServer(Handle);
        Endpoint = new Uri(_server.Url + "/");
    }

    public Uri Endpoint { get; }
    public List<Dictionary<string, string>> Calls { get; } = [];

    private (int Status, string Body) Handle(RecordedRequest request)
    {
        var form = request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
        lock (Calls) Calls.Add(form);
        return Verify(request) ? Answer(form) : (403, Error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."));
    }

    private bool Verify(RecordedRequest request)
    {
        var authorization = request.Headers.GetValueOrDefault("Authorization") ?? "";
        var date = request.Headers.GetValueOrDefault("X-Amz-Date") ?? "";
        var at = DateTimeOffset.ParseExact(date, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        var region = authorization.Split('/')[2];
        var service = authorization.Split('/')[3];
        var headers = new Dictionary<string, string> { ["content-type"] = request.Headers.GetValueOrDefault("Content-Type") ?? "", ["host"] = request.Headers.GetValueOrDefault("Host") ?? "", ["x-amz-date"] = date };
        var expected = SigV4.Authorization(_credentials, region, service, at, "POST", "/", [], headers, SigV4.HashHex(Encoding.UTF8.GetBytes(request.Body)));
        return expected == authorization;
    }

    private (int, string) Answer(Dictionary<string, string> form)
    {
        const string ns = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
        switch (form["Action"])
        {
            case "CreateLaunchTemplateVersion":
                return (200, """<CreateLaunchTemplateVersionResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r1</requestId><launchTemplateVersion><launchTemplateId>lt-0abc</launchTemplateId><versionNumber>7</versionNumber></launchTemplateVersion></CreateLaunchTemplateVersionResponse>""");
            case "StartInstanceRefresh":
                return (200, $"""<StartInstanceRefreshResponse xmlns="{ns}"><StartInstanceRefreshResult><InstanceRefreshId>08b91cf7-8fa6-48af-b6a6-d227f40f1b9b</InstanceRefreshId></StartInstanceRefreshResult></StartInstanceRefreshResponse>""");
            case "DescribeInstanceRefreshes":
                _describes++;
                var (state, percent, reason) = (_refreshFails, _rollbackAsked, _describes) switch
                {
                    (_, _, 1) => ("InProgress", 33, "Waiting for instances to warm up before continuing."),
                    (false, _, _) => ("Successful", 100, ""),
                    (true, false, _) => ("Failed", 33, "Instance i-0bad failed its ELB health check."),
                    (true, true, _) => ("RollbackSuccessful", 0, "Instance i-0bad failed its ELB health check."),
                };
                return (200, $"""<DescribeInstanceRefreshesResponse xmlns="{ns}"><DescribeInstanceRefreshesResult><InstanceRefreshes><member><InstanceRefreshId>08b91cf7-8fa6-48af-b6a6-d227f40f1b9b</InstanceRefreshId><AutoScalingGroupName>{form["AutoScalingGroupName"]}</AutoScalingGroupName><Status>{state}</Status><StatusReason>{reason}</StatusReason><PercentageComplete>{percent}</PercentageComplete></member></InstanceRefreshes></DescribeInstanceRefreshesResult></DescribeInstanceRefreshesResponse>""");
            case "RollbackInstanceRefresh":
                _rollbackAsked = true;
                return (200, $"""<RollbackInstanceRefreshResponse xmlns="{ns}"><RollbackInstanceRefreshResult><InstanceRefreshId>08b91cf7-8fa6-48af-b6a6-d227f40f1b9b</InstanceRefreshId></RollbackInstanceRefreshResult></RollbackInstanceRefreshResponse>""");
            case "CancelInstanceRefresh":
                return (200, $"""<CancelInstanceRefreshResponse xmlns="{ns}"><CancelInstanceRefreshResult><InstanceRefreshId>08b91cf7-8fa6-48af-b6a6-d227f40f1b9b</InstanceRefreshId></CancelInstanceRefreshResult></CancelInstanceRefreshResponse>""");
            default:
                return (400, Error("InvalidAction", $"The action {form["Action"]} is not valid for this web service."));
        }
    }

    private static string Error(string code, string message) =>
        $"""<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r0</RequestId></ErrorResponse>""";

    public void Dispose() => _server.Dispose();
}
