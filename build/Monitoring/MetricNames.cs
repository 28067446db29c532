namespace Pipeline.Monitoring;

/// <summary>
/// The names of the freshness metrics the steps write (Prometheus textfile format) and of the exporters' metrics the
/// rules and dashboards read: one list, so a rule cannot name a metric nothing writes.
/// </summary>
public static class MetricNames
{
    // Certificates (per certificate: label cert, its first name).
    public const string CertificateExpiry = "pipeline_certificate_expiry_timestamp_seconds";
    public const string CertificateRenewalStart = "pipeline_certificate_renewal_window_start_timestamp_seconds";

    // Backups (per set: label set). The first five are Backup's own names from before monitoring.
    public const string BackupLastSuccess = "last_backup_timestamp_seconds";
    public const string BackupBytes = "backup_bytes";
    public const string BackupDuration = "backup_duration_seconds";
    public const string BackupLastVerify = "backup_last_verify_timestamp_seconds";
    public const string BackupLastVerifyOk = "backup_last_verify_ok";

    // RestoreDrill (per set: label set): when a drill last passed and how long its restore took (the time to restore).
    public const string RestoreDrillLastSuccess = "pipeline_restore_drill_last_success_timestamp_seconds";
    public const string RestoreDrillDuration = "pipeline_restore_drill_time_to_restore_seconds";

    // Deploy (per group: labels env, group).
    public const string DeployLast = "pipeline_deploy_last_timestamp_seconds";
    public const string DeploySucceeded = "pipeline_deploy_last_succeeded";
    public const string DeployRolledBack = "pipeline_deploy_last_rolled_back";
    public const string DeployRollbacks = "pipeline_deploy_rollbacks_total";
    public const string DeployInfo = "pipeline_deploy_info";
    public const string DeployLockHeldSince = "pipeline_deploy_lock_held_since_timestamp_seconds";

    // Delivery, from the audit trail and git (labels env; deploys also result): over the window of the delivery page.
    public const string DeliveryDeploys = "pipeline_delivery_deploys";
    public const string DeliveryDeploysPerDay = "pipeline_delivery_deploys_per_day";
    public const string DeliveryLeadTime = "pipeline_delivery_lead_time_seconds";
    public const string DeliveryChangeFailureRate = "pipeline_delivery_change_failure_ratio";
    public const string DeliveryTimeToRestore = "pipeline_delivery_time_to_restore_seconds";

    // ClusterTest and Publish.
    public const string ClusterTestLastPass = "pipeline_cluster_test_last_pass_timestamp_seconds";
    public const string PublishLastPush = "pipeline_publish_last_push_timestamp_seconds";

    // HAProxy's built-in exporter (label proxy: the backend) and Prometheus' own.
    public const string HaproxyRequests = "haproxy_backend_http_requests_total";
    public const string HaproxyResponses = "haproxy_backend_http_responses_total";
    public const string HaproxyResponseTime = "haproxy_backend_response_time_average_seconds";
    public const string HaproxyActiveServers = "haproxy_backend_active_servers";
    public const string Up = "up";
}
