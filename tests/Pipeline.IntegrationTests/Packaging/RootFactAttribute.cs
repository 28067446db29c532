using Xunit;

namespace Pipeline.IntegrationTests.Packaging;

/// <summary>A fact that needs root (apt-get, debootstrap, chroot); skipped with the reason otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
            Skip = "needs root: installs lintian/debootstrap, builds a Debian chroot and runs apt-get inside it (run the tests as root)";
    }
}
