using Pipeline.Definitions;
using Pipeline.Engine;

namespace Pipeline;

/// <summary>What the user supplied beyond single parameter values, checked once parameters are bound.</summary>
partial class Build
{
    /// <summary>
    /// Before any target runs: --environment names a file of environments/ (not a path), that file reads, its
    /// top-level keys are known, and every section it has passes its capability's own loader, so a bad value stops
    /// the run before Packages or Publish, not when Deploy gets to it. An in-memory root without environments/ (the
    /// engine's tests) has nothing to check.
    /// </summary>
    protected internal override void ValidateInputs()
    {
        // images/*/image.yml, when the plan bakes (not when --skip leaves both out): a bad port in an image stops the run before
        // Packages builds.
        var bakes = ExecutionPlan.Any(t => (t.Name is nameof(ValidateImages) or nameof(Images)) && t.Status != TargetStatus.Skipped);
        if (bakes) _ = LoadImages();
        if (!Directory.Exists(RootDirectory / Definitions.EnvironmentFile.Folder)) return;
        if (PromoteFrom is not null) Definitions.EnvironmentFile.CheckName(PromoteFrom, RootDirectory, "--from-environment");
        // The default environment's file may be absent where no target of the run needs an environment; a name given must exist.
        if (EnvironmentName == DefaultEnvironment && !File.Exists(EnvironmentFile)) return;
        Definitions.EnvironmentFile.CheckName(EnvironmentName, RootDirectory);
        var root = EnvironmentRoot;
        if (root.Optional("groups") is not null)
        {
            if (DeployGroup is null) _ = DeployDefinition;
            else NamingFlag("--group", DeployGroup, () => DeployDefinition.Group(DeployGroup));
            Pipeline.Dns.BlueGreenRecords.Check(root, DeployDefinition.Groups);
        }
        Publishing.RegistriesDefinition.Read(root);
        if (root.Optional("certificates") is not null) _ = CertificatesDefinition;
        if (root.Optional("dns") is not null) _ = DnsDefinition;
        if (root.Optional("s3") is not null) S3Definition.Load(root);
        if (root.Optional("monitoring") is not null) _ = MonitoringDefinition;
        if (root.Optional("backups") is not null)
        {
            var backups = Backups.BackupsDefinition.Load(root, RootDirectory);
            NamingFlag("--backup-set", string.Join(" ", BackupSet), () => backups.Select(BackupSet));
        }
    }

    /// <summary>A capability's refusal of a name the user gave, prefixed with the flag that gave it.</summary>
    static void NamingFlag(string flag, string value, Action check)
    {
        try { check(); }
        catch (UsageException e) when (e is not DefinitionException) { throw new UsageException($"{flag} {value}: {e.Message}"); }
    }
}
