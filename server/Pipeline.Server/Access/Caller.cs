namespace Pipeline.Server.Access;

/// <summary>Who made a request: a token's name and scopes (Slack and GitHub act through the token they are mapped to).</summary>
public sealed record Caller(string Name, TokenScopes Scopes)
{
    public const string ItemKey = "pipeline.caller";
}
