using Pipeline.IntegrationTests.CI;
using Pipeline.Tools.Aws;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>One Query API request as the fake parsed it: the service (from the credential scope) and every form field.</summary>
public sealed record AwsCall(string Service, SortedDictionary<string, string> Form, bool Accepted)
{
    public string Action => Form.GetValueOrDefault("Action", "");
    public string Key => $"{Service} {Action} " + string.Join('&', Form.Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>
/// A LOCAL FAKE of AWS EC2 Auto Scaling and EC2 (Query APIs) on 127.0.0.1, for one Auto Scaling group on one launch
/// template. Every request's SigV4 signature is checked against the one @smithy/signature-v4 computes (through the
/// <see cref="CloudReferee"/>, never Pipeline's signer); a request with a missing required member, a wrong enum value or
/// an unknown member is refused in the service's own error format (Auto Scaling's ErrorResponse, EC2's Response/Errors).
/// Instance refreshes move on with each DescribeInstanceRefreshes: they succeed, fail (rolled back by AWS when
/// AutoRollback was asked, else Failed), or hang InProgress until rolled back or cancelled; a refresh to the version the
/// group started on always succeeds.
/// </summary>
public sealed partial class AwsCloudFake : IDisposable
{
    public enum Refreshes { Succeed, Fail, Hang }

    public const string Group = "heartbeat-api", Template = "heartbeat-api", TemplateId = "lt-0abc1234def567890";
    private const string AsNs = "http://autoscaling.amazonaws.com/doc/2011-01-01/", Ec2Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private readonly LocalHttpServer _server;
    private readonly CloudReferee _referee;
    private readonly AwsCredentials _credentials;
    private readonly Refreshes _behaviour;
    private readonly string _originalVersion;
    private readonly Dictionary<int, string> _userData = new() { [1] = Convert.ToBase64String("#!/bin/sh\necho hand-made\n"u8.ToArray()) };
    private readonly List<Refresh> _refreshes = [];
    private readonly Lock _gate = new();

    private sealed class Refresh(string id, string version, bool autoRollback)
    {
        public string Id => id;
        public string Version => version;
        public bool AutoRollback => autoRollback;
        public string Status = "Pending";
        public string Reason = "";
        public int Polls;
    }

    /// <param name="credentials">The keys that sign; with a session token (an assumed role's), a request without it is refused.</param>
    /// <param name="anyHost">Answer under any Host: the local runner reaches it as autoscaling/ec2.eu-west-1.amazonaws.com.</param>
    /// <param name="groupVersion">What the group's launch template names: "1", or "$Latest"/"$Default" (no AWS rollback then).</param>
    public AwsCloudFake(
        CloudReferee referee,
        AwsCredentials credentials,
        Refreshes behaviour,
        string groupVersion = "1",
        int desiredCapacity = 3,
        bool anyHost = false
    )
    {
        (_referee, _credentials, _behaviour) = (referee, credentials, behaviour);
        (GroupVersion, DesiredCapacity, _originalVersion) = (groupVersion, desiredCapacity, groupVersion);
        _server = new LocalHttpServer(Handle, anyHost);
        Endpoint = new Uri(_server.Url + "/");
    }

    public Uri Endpoint { get; }
    public List<AwsCall> Calls { get; } = [];
    public string GroupVersion { get; private set; }
    public int DesiredCapacity { get; private set; }
    public int LatestVersion => _userData.Keys.Max();
    public string UserData(int version) => Encoding.UTF8.GetString(Convert.FromBase64String(_userData[version]));
    public IReadOnlyList<string> InstanceIds => Enumerable.Range(1, DesiredCapacity).Select(n => $"i-0{n:x16}").ToList();

    private (int Status, string Body) Handle(RecordedRequest request)
    {
        var form = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in request.Body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
            form[Uri.UnescapeDataString(pair[0].Replace('+', ' '))] =
                pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "";
        var authorization = request.Headers.GetValueOrDefault("Authorization") ?? "";
        var service = Scope().Match(authorization) is { Success: true } m ? m.Groups["service"].Value : "?";
        var signature = _referee.CheckAws(request, _credentials);
        lock (_gate)
        {
            if (signature != CloudReferee.AwsSignature.Valid)
            {
                Calls.Add(new(service, form, false));
                return service == "ec2"
                    ? (401, Ec2Error("AuthFailure", "AWS was not able to validate the provided access credentials"))
                    : signature == CloudReferee.AwsSignature.TokenRefused
                        ? (403, AsError("InvalidClientTokenId", "The security token included in the request is invalid."))
                        : (
                            403,
                            AsError(
                                "SignatureDoesNotMatch",
                                "The request signature we calculated does not match the signature you provided. Check your AWS "
                                + "Secret Access Key and signing method."
                            )
                        );
            }
            var refusal = service switch
            {
                "ec2" when form.GetValueOrDefault("Version") != "2016-11-15" => (
                    "InvalidAction",
                    "The API version is not valid for this web service."
                ),
                "autoscaling" when form.GetValueOrDefault("Version") != "2011-01-01" => (
                    "InvalidAction",
                    "The API version is not valid for this web service."
                ),
                "ec2" or "autoscaling" => AwsShapes.Check(service, form),
                _ => ("InvalidClientTokenId", $"no such service: {service}"),
            };
            Calls.Add(new(service, form, refusal is null));
            if (refusal is { } r) return (400, service == "ec2" ? Ec2Error(r.Code, r.Message) : AsError(r.Code, r.Message));
            return service == "ec2" ? Ec2(form) : AutoScaling(form);
        }
    }

    private (int, string) Ec2(SortedDictionary<string, string> form)
    {
        var action = form["Action"];
        switch (action)
        {
            case "CreateLaunchTemplateVersion":
                var source = Resolve(form.GetValueOrDefault("SourceVersion", "$Default"));
                var version = LatestVersion + 1;
                _userData[version] = form.GetValueOrDefault("LaunchTemplateData.UserData") ?? _userData[source];
                return (200, Ec2Answer(action, $"<launchTemplateVersion>{VersionXml(version)}</launchTemplateVersion>"));
            case "DescribeLaunchTemplateVersions":
                var versions = form.Where(p => p.Key.StartsWith("LaunchTemplateVersion.", StringComparison.Ordinal))
                    .Select(p => Resolve(p.Value))
                    .DefaultIfEmpty(LatestVersion);
                return (
                    200,
                    Ec2Answer(
                        action,
                        $"<launchTemplateVersionSet>{string.Concat(versions.Select(v => $"<item>{VersionXml(v)}</item>"))}</launchTemplateVersionSet>"
                    )
                );
            default: // DescribeInstances
                var ids = form.Where(p => p.Key.StartsWith("InstanceId.", StringComparison.Ordinal)).Select(p => p.Value).ToList();
                var items = InstanceIds
                    .Select((id, n) => (id, n))
                    .Where(i => ids.Count == 0 || ids.Contains(i.id))
                    .Select(i =>
                        $"<item><instanceId>{i.id}</instanceId><imageId>ami-0123456789abcdef0</imageId><instanceState><code>16</code><name>running</name></instanceState><privateIpAddress>10.0.1.{i.n + 10}</privateIpAddress><instanceType>t3.small</instanceType><launchTime>2026-12-01T10:00:00.000Z</launchTime></item>"
                    );
                return (
                    200,
                    Ec2Answer(
                        action,
                        $"<reservationSet><item><reservationId>r-0a1b2c3d4e5f60718</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>{string.Concat(items)}</instancesSet></item></reservationSet>"
                    )
                );
        }
    }

    private int Resolve(string version) => version switch
    {
        "$Latest" => LatestVersion,
        "$Default" => 1,
        _ => int.Parse(version, CultureInfo.InvariantCulture),
    };

    private string VersionXml(int v) =>
        $"<launchTemplateId>{TemplateId}</launchTemplateId><launchTemplateName>{Template}</launchTemplateName><versionNumber>{v}</versionNumber>"
        + $"<createTime>2026-12-01T10:00:00.000Z</createTime><defaultVersion>{(v == 1 ? "true" : "false")}</defaultVersion>"
        + $"<launchTemplateData><imageId>ami-0123456789abcdef0</imageId><instanceType>t3.small</instanceType><userData>{_userData[v]}</userData></launchTemplateData>";

    private (int, string) AutoScaling(SortedDictionary<string, string> form)
    {
        var action = form["Action"];
        var active = _refreshes.LastOrDefault(r => r.Status is "Pending" or "InProgress" or "Baking");
        switch (action)
        {
            case "DescribeAutoScalingGroups":
                var lt =
                    $"<LaunchTemplate><LaunchTemplateId>{TemplateId}</LaunchTemplateId><LaunchTemplateName>{Template}</LaunchTemplateName><Version>{GroupVersion}</Version></LaunchTemplate>";
                var instances = string.Concat(
                    InstanceIds.Select(id =>
                        $"<member><InstanceId>{id}</InstanceId><InstanceType>t3.small</InstanceType><AvailabilityZone>eu-west-1a</AvailabilityZone><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus>{lt}<ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>"
                    )
                );
                return (
                    200,
                    AsAnswer(
                        action,
                        $"<AutoScalingGroups><member><AutoScalingGroupName>{Group}</AutoScalingGroupName><AutoScalingGroupARN>arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:7d3c:autoScalingGroupName/{Group}</AutoScalingGroupARN>{lt}<MinSize>1</MinSize><MaxSize>10</MaxSize><DesiredCapacity>{DesiredCapacity}</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>eu-west-1a</member></AvailabilityZones><HealthCheckType>ELB</HealthCheckType><HealthCheckGracePeriod>60</HealthCheckGracePeriod><Instances>{instances}</Instances><CreatedTime>2026-12-01T10:00:00.000Z</CreatedTime></member></AutoScalingGroups>"
                    )
                );
            case "SetDesiredCapacity":
                DesiredCapacity = int.Parse(form["DesiredCapacity"], CultureInfo.InvariantCulture);
                return (200, AsAnswer(action, null));
            case "StartInstanceRefresh":
                if (active is not null)
                    return (
                        400,
                        AsError(
                            "InstanceRefreshInProgress",
                            $"An Instance Refresh is already in progress and blocks the execution of this Instance Refresh."
                        )
                    );
                var autoRollback = form.GetValueOrDefault("Preferences.AutoRollback") == "true";
                if (autoRollback && !GroupVersion.All(char.IsAsciiDigit))
                    return (
                        400,
                        AsError(
                            "ValidationError",
                            "Auto rollback is not supported when the Auto Scaling group uses the $Latest or $Default launch template "
                            + "version."
                        )
                    );
                var refresh = new Refresh(
                    $"08b91cf7-8fa6-48af-b6a6-d227f40f{_refreshes.Count + 1:x4}",
                    form.GetValueOrDefault("DesiredConfiguration.LaunchTemplate.Version", "$Latest"),
                    autoRollback
                );
                _refreshes.Add(refresh);
                return (200, AsAnswer(action, $"<InstanceRefreshId>{refresh.Id}</InstanceRefreshId>"));
            case "DescribeInstanceRefreshes":
                var wanted = form.Where(p => p.Key.StartsWith("InstanceRefreshIds.member.", StringComparison.Ordinal))
                    .Select(p => p.Value)
                    .ToHashSet();
                var shown = _refreshes.Where(r => wanted.Count == 0 || wanted.Contains(r.Id)).ToList();
                foreach (var r in shown) Advance(r);
                return (
                    200,
                    AsAnswer(
                        action,
                        $"<InstanceRefreshes>{string.Concat(shown.Select(r =>
                    $"<member><InstanceRefreshId>{r.Id}</InstanceRefreshId><AutoScalingGroupName>{Group}</AutoScalingGroupName><Status>{r.Status}</Status><StatusReason>{WebUtility.HtmlEncode(r.Reason)}</StatusReason><StartTime>2026-12-01T10:00:00Z</StartTime><PercentageComplete>{(r.Status == "Successful" ? 100 : 33)}</PercentageComplete><InstancesToUpdate>{(r.Status == "Successful" ? 0 : 2)}</InstancesToUpdate></member>"))}</InstanceRefreshes>"
                    )
                );
            case "CancelInstanceRefresh" or "RollbackInstanceRefresh":
                if (active is null)
                    return (
                        400,
                        AsError(
                            "ActiveInstanceRefreshNotFound",
                            "No in progress or pending Instance Refresh found for Auto Scaling group " + Group
                        )
                    );
                active.Status = action == "CancelInstanceRefresh" ? "Cancelling" : "RollbackInProgress";
                active.Reason = action == "CancelInstanceRefresh" ? "Cancelled by request." : "Rollback started by request.";
                return (200, AsAnswer(action, $"<InstanceRefreshId>{active.Id}</InstanceRefreshId>"));
            default:
                return (400, AsError("InvalidAction", $"The action {action} is not valid for this web service."));
        }
    }

    /// <summary>One poll's worth of progress.</summary>
    private void Advance(Refresh r)
    {
        r.Polls++;
        var back = r.Version == _originalVersion || (_originalVersion.StartsWith('$') && r.Version == "1");
        (r.Status, r.Reason) = r.Status switch
        {
            "Pending" => ("InProgress", "Waiting for instances to warm up before continuing."),
            "InProgress" when back || _behaviour == Refreshes.Succeed => ("Successful", ""),
            "InProgress" when _behaviour == Refreshes.Fail && r.AutoRollback => (
                "RollbackInProgress",
                "Instance i-0bad failed its ELB health check."
            ),
            "InProgress" when _behaviour == Refreshes.Fail => ("Failed", "Instance i-0bad failed its ELB health check."),
            "RollbackInProgress" => ("RollbackSuccessful", r.Reason),
            "Cancelling" => ("Cancelled", r.Reason),
            _ => (r.Status, r.Reason),
        };
        if (r.Status == "Successful") GroupVersion = r.Version;
    }

    private static string AsAnswer(string action, string? result) =>
        $"""<{action}Response xmlns="{AsNs}">{(result is null ? "" : $"<{action}Result>{result}</{action}Result>")}<ResponseMetadata><RequestId>6f2b3c1e-0000-4000-8000-000000000001</RequestId></ResponseMetadata></{action}Response>""";

    private static string Ec2Answer(string action, string result) =>
        $"""<{action}Response xmlns="{Ec2Ns}"><requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>{result}</{action}Response>""";

    private static string AsError(string code, string message) =>
        $"""<ErrorResponse xmlns="{AsNs}"><Error><Type>Sender</Type><Code>{code}</Code><Message>{WebUtility.HtmlEncode(message)}</Message></Error><RequestId>6f2b3c1e-0000-4000-8000-000000000002</RequestId></ErrorResponse>""";

    private static string Ec2Error(string code, string message) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code><Message>{WebUtility.HtmlEncode(message)}</Message></Error></Errors><RequestID>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID></Response>""";

    [GeneratedRegex(@"Credential=[^/]+/\d{8}/[^/]+/(?<service>[^/]+)/aws4_request")]
    private static partial Regex Scope();

    public void Dispose() => _server.Dispose();
}
