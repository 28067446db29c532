namespace Pipeline.Engine;

/// <summary>An executable a target needs, and the package that provides it.</summary>
public sealed record Tool(string Command, string Package, ToolSource Source)
{
    /// <summary>A command from a Debian package, installed with apt-get.</summary>
    public static Tool Apt(string command, string? package = null) => new(command, package ?? command, ToolSource.Apt);

    /// <summary>A command from an npm package, installed globally with npm.</summary>
    public static Tool Npm(string command, string? package = null) => new(command, package ?? command, ToolSource.Npm);

    public string InstallCommand => Source switch
    {
        ToolSource.Apt => $"apt-get install -y {Package}",
        _ => $"npm install -g {Package}",
    };

    public override string ToString() => $"{Command} ({Source.ToString().ToLowerInvariant()}: {Package})";
}

public enum ToolSource { Apt, Npm }
