using Pipeline.Engine;

namespace Pipeline.Monitoring;

/// <summary>
/// Renders an environment's monitoring files (pure: <see cref="Render"/> returns paths and contents) and writes them,
/// each atomically, removing dashboards of groups that are gone.
/// </summary>
public static class MonitoringRenderer
{
    public sealed record RenderedFile(AbsolutePath Path, string Content);

    public static IReadOnlyList<RenderedFile> Render(MonitoringDefinition m, IReadOnlyList<MonitoredGroup> groups, MonitoringLayout layout)
    {
        List<RenderedFile> files =
        [
            new(layout.PrometheusConfig, PrometheusConfig.Render(m, groups)),
            new(layout.Rules, DefaultAlertRules.Render(m, DefaultAlertRules.For(m))),
            new(layout.AlertmanagerConfig, AlertmanagerConfig.Render(m, layout.SlackWebhookFile)),
            new(layout.GrafanaDatasources, GrafanaProvisioning.Datasources(m)),
            new(layout.GrafanaDashboardProvider, GrafanaProvisioning.DashboardProvider(m, layout.GrafanaDashboards)),
        ];
        files.AddRange(groups.Select(g => new RenderedFile(layout.Dashboard(g.Name), GrafanaDashboard.Render(m, g))));
        return files;
    }

    /// <summary>Writes the files (masked, atomically); returns how many changed.</summary>
    public static int Write(IReadOnlyList<RenderedFile> files, MonitoringLayout layout)
    {
        var changed = 0;
        foreach (var file in files)
        {
            if (File.Exists(file.Path) && File.ReadAllText(file.Path) == file.Content) continue;
            MaskedFile.WriteAtomically(file.Path, file.Content);
            changed++;
        }
        if (Directory.Exists(layout.GrafanaDashboards))
            foreach (var stale in Directory.EnumerateFiles(layout.GrafanaDashboards, "*.json"))
                if (!files.Any(f => f.Path.Value == stale))
                {
                    File.Delete(stale);
                    changed++;
                }
        return changed;
    }
}
