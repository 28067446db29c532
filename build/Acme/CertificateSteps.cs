using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Tools.Acme;
using Pipeline.Tools.S3;

namespace Pipeline.Acme;

/// <summary>
/// The Certificates targets' bodies, shared with the integration tests: where the state lives, the restore
/// guard (a transient restore failure keeps the CA from being asked unless forced), issue, back up, install.
/// </summary>
/// <param name="dnsProviders">The dns: section's providers by name, for DNS-01 through a provider.</param>
public sealed class CertificateSteps(CertificatesDefinition definition, AcmeLayout layout, Func<string, IDnsProvider>? dnsProviders = null)
{
    public AcmeStateStore Store { get; } = new(layout.StateFile);

    public string? TrustFile => definition.Trust is null ? null : layout.Resolve(definition.Trust).Value;

    public Task<RestoreOutcome> RestoreAsync(IObjectStore objects, CancellationToken ct) =>
        new StateBackup(Store, objects, definition.BackupKey).RestoreAsync(ct);

    public Task<bool> BackupAsync(IObjectStore objects, CancellationToken ct) =>
        new StateBackup(Store, objects, definition.BackupKey).BackupAsync(ct);

    public async Task<IssueResult> IssueAsync(bool forceIssue, CancellationToken ct)
    {
        var state = await Store.LoadAsync(ct);
        if (StateBackup.RestoreFailed(Store, out var reason))
        {
            var plans = RenewalPlanner.Plan(definition, state, DateTimeOffset.UtcNow);
            if (plans.All(p => p.Action == CertificateAction.UpToDate))
                Log.Information("The last restore failed, but every certificate is up to date: nothing to ask the CA.");
            else if (!forceIssue)
                throw new PipelineException(
                    $"Not asking the CA: restoring the ACME state failed ({reason}), and issuing anew could exhaust the CA's rate limits. "
                    + $"Fix S3 and run RestoreCertificates again, or pass --force-issue."
                );
            else
                Log.Warning($"--force-issue: asking the CA although the restore failed ({reason}).");
        }
        using var http = AcmeHttp.Create(TrustFile);
        var issuer = new CertificateIssuer(definition, http, layout.Root, dnsProviders);
        var result = await issuer.RunAsync(state, s => Store.SaveAsync(s, ct), ct);
        Log.Information($"{result.OrdersCreated} new order(s); state in {Store.Path} (mode 0600).");
        return result;
    }

    public async Task InstallAsync(CancellationToken ct)
    {
        var state = await Store.LoadAsync(ct);
        var directory = layout.Resolve(definition.InstallDirectory);
        var changed = await PemBundleInstaller.WriteAsync(state, definition, directory, ct);
        if (changed.Count == 0) { Log.Information("HAProxy bundles are up to date."); return; }
        if (definition.HaproxySocket is null)
        {
            Log.Information($"Wrote {changed.Count} bundle(s) to {directory}; no haproxy-socket configured, so no reload.");
            return;
        }
        await PemBundleInstaller.UpdateHaproxyAsync(layout.Resolve(definition.HaproxySocket), changed, ct);
    }
}
