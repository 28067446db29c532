using Pipeline.Packaging.Definitions;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>
/// The service unit: runs the executable as the package's system user, reads <c>/etc/default/&lt;name&gt;</c>
/// when present, stops with SIGTERM and a bound, and keeps the service away from the rest of the system.
/// </summary>
public static class SystemdUnit
{
    public static string PathOf(string name) => $"/usr/lib/systemd/system/{name}.service";

    public static string Render(PackageDefinition definition)
    {
        var service = definition.Service ?? throw new ArgumentException($"{definition.Name} has no service", nameof(definition));
        var execStart = string.Join(' ', [definition.InstalledExecutable, .. service.Arguments]);
        var after = string.Join(' ', service.After);

        var text = new StringBuilder()
            .Append("[Unit]\n")
            .Append($"Description={definition.Summary}\n");
        if (definition.Homepage is not null) text.Append($"Documentation={definition.Homepage}\n");
        text.Append($"After={after}\n")
            .Append($"Wants={after}\n")
            .Append('\n')
            .Append("[Service]\n")
            .Append("Type=exec\n")
            .Append($"User={service.User}\n")
            .Append($"Group={service.User}\n")
            .Append($"EnvironmentFile=-/etc/default/{definition.Name}\n")
            .Append($"ExecStart={execStart}\n")
            .Append($"WorkingDirectory={service.Home}\n")
            .Append($"StateDirectory={service.User}\n")
            .Append($"Restart={service.Restart}\n")
            .Append($"RestartSec={service.RestartSec}\n")
            .Append("KillSignal=SIGTERM\n")
            .Append($"TimeoutStopSec={service.StopTimeoutSec}\n")
            .Append("NoNewPrivileges=yes\n")
            .Append("ProtectSystem=strict\n")
            .Append("ProtectHome=yes\n")
            .Append("PrivateTmp=yes\n")
            .Append("PrivateDevices=yes\n")
            .Append('\n')
            .Append("[Install]\n")
            .Append("WantedBy=multi-user.target\n");
        return text.ToString();
    }
}
