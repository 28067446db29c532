using Pipeline.Packaging.Definitions;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>
/// postinst, prerm and postrm. The system user is created on configure; the unit is enabled and
/// (re)started only when systemd is the running init (a chroot or image build has none), and then a
/// failed start fails the install instead of being hidden. deb-systemd-helper/-invoke come from
/// init-system-helpers (Essential) and honour policy-rc.d.
/// </summary>
public static class MaintainerScripts
{
    public static IReadOnlyDictionary<string, string> Render(PackageDefinition definition)
    {
        var scripts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (definition.Service is null && !definition.ConfigFiles.Any(f => f.Group != "root")) return scripts;
        scripts["postinst"] = PostInst(definition);
        scripts["postrm"] = PostRm(definition);
        if (definition.Service is not null) scripts["prerm"] = PreRm(definition);
        return scripts;
    }

    private static StringBuilder Header() => new StringBuilder("#!/bin/sh\nset -e\n\n");

    private static string PostInst(PackageDefinition definition)
    {
        var text = Header().Append("if [ \"$1\" = configure ]; then\n");
        if (definition.Service is { } service)
            text.Append($"    if ! getent passwd {service.User} >/dev/null; then\n")
                .Append($"        adduser --system --group --quiet --home {service.Home} --no-create-home \\\n")
                .Append($"            --gecos \"{definition.Name} service\" {service.User}\n")
                .Append("    fi\n");
        foreach (var file in definition.ConfigFiles.Where(f => f.Group != "root"))
            text.Append($"    if ! dpkg-statoverride --list {file.Path} >/dev/null; then\n")
                .Append($"        dpkg-statoverride --update --add root {file.Group} {Octal(file.Mode)} {file.Path}\n")
                .Append("    fi\n");
        text.Append("fi\n");

        if (definition.Service is not null)
        {
            var unit = $"{definition.Name}.service";
            text.Append('\n')
                .Append("if [ -d /run/systemd/system ]; then\n")
                .Append("    systemctl --system daemon-reload\n")
                .Append($"    deb-systemd-helper enable {unit}\n")
                .Append($"    deb-systemd-invoke restart {unit}\n")
                .Append("fi\n");
        }
        return text.ToString();
    }

    private static string PreRm(PackageDefinition definition) =>
        Header()
            .Append("if [ -d /run/systemd/system ] && [ \"$1\" = remove ]; then\n")
            .Append($"    deb-systemd-invoke stop {definition.Name}.service\n")
            .Append("fi\n")
            .ToString();

    private static string PostRm(PackageDefinition definition)
    {
        var text = Header();
        if (definition.Service is not null)
            text.Append("if [ -d /run/systemd/system ]; then\n")
                .Append("    systemctl --system daemon-reload\n")
                .Append("fi\n\n");
        text.Append("if [ \"$1\" = purge ]; then\n");
        if (definition.Service is { } service)
            text.Append("    if command -v deb-systemd-helper >/dev/null; then\n")
                .Append($"        deb-systemd-helper purge {definition.Name}.service >/dev/null\n")
                .Append("    fi\n")
                .Append($"    rm -rf {service.Home}\n");
        foreach (var file in definition.ConfigFiles.Where(f => f.Group != "root"))
            text.Append($"    if dpkg-statoverride --list {file.Path} >/dev/null; then\n")
                .Append($"        dpkg-statoverride --remove {file.Path}\n")
                .Append("    fi\n");
        text.Append("fi\n");
        return text.ToString();
    }

    public static string Octal(int mode) => Convert.ToString(mode, 8).PadLeft(4, '0');
}
