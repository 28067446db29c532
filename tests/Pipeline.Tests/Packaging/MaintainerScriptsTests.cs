using FluentAssertions;
using Pipeline.Packaging.Building;
using Xunit;

namespace Pipeline.Tests.Packaging;

public class MaintainerScriptsTests
{
    private static readonly IReadOnlyDictionary<string, string> Scripts = MaintainerScripts.Render(SamplePackage.Definition);

    [Fact]
    public void Every_script_is_a_posix_shell_script_that_stops_on_errors() =>
        Scripts.Values.Should().OnlyContain(s => s.StartsWith("#!/bin/sh\nset -e\n"));

    [Fact]
    public void Postinst_creates_the_system_user_once_on_configure()
    {
        var postinst = Scripts["postinst"];

        postinst.Should().Contain("if [ \"$1\" = configure ]; then");
        postinst.Should().Contain("if ! getent passwd heartbeat >/dev/null; then");
        postinst.Should().Contain("adduser --system --group --quiet --home /var/lib/heartbeat --no-create-home");
    }

    [Fact]
    public void Postinst_enables_and_restarts_only_under_a_running_systemd_and_does_not_hide_a_failed_start()
    {
        var lines = Scripts["postinst"].Split('\n');
        var guard = Array.IndexOf(lines, "if [ -d /run/systemd/system ]; then");

        guard.Should().BePositive();
        lines.Skip(guard).Should().Contain("    deb-systemd-helper enable heartbeat.service")
            .And.Contain("    deb-systemd-invoke restart heartbeat.service");
        lines.Where(l => l.Contains("restart")).Should().OnlyContain(l => !l.Contains("|| true") && !l.Contains("2>/dev/null"));
    }

    [Fact]
    public void Postinst_gives_a_group_readable_conffile_its_group_through_statoverride() =>
        Scripts["postinst"].Should().Contain("dpkg-statoverride --update --add root heartbeat 0640 /etc/default/heartbeat");

    [Fact]
    public void Prerm_stops_the_service_on_remove_under_systemd() =>
        Scripts["prerm"]
            .Should()
            .Contain("if [ -d /run/systemd/system ] && [ \"$1\" = remove ]; then\n    deb-systemd-invoke stop heartbeat.service\n");

    [Fact]
    public void Postrm_cleans_up_on_purge() =>
        Scripts["postrm"].Should().Contain("if [ \"$1\" = purge ]; then").And.Contain("dpkg-statoverride --remove /etc/default/heartbeat")
            .And.Contain("deb-systemd-helper purge heartbeat.service");

    [Fact]
    public void A_package_without_service_or_group_conffiles_has_no_scripts() =>
        MaintainerScripts.Render(SamplePackage.Definition with { Service = null, ConfigFiles = [] }).Should().BeEmpty();
}
