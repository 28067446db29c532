namespace Pipeline.Engine;

public enum LogLevel { Debug, Information, Warning, Error }

/// <summary>How much the console shows (the log file always gets everything).</summary>
public enum Verbosity { Quiet, Minimal, Normal, Verbose }
