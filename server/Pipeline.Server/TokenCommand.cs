using Pipeline.Server.Access;
using Pipeline.Server.Storage;

namespace Pipeline.Server;

/// <summary>
/// <c>mint-token --name ops --scopes env:staging,target:Deploy [--slack-user U123] [--root …]</c>: stores a new token's hash
/// and prints the token once, on its own line (a token of the same name is replaced).
/// </summary>
public static class TokenCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
        var options = ServerOptions.From(configuration);
        if (configuration["name"] is not { Length: > 0 } name || configuration["scopes"] is not { Length: > 0 } scopeText)
        {
            await Console.Error.WriteLineAsync("usage: mint-token --name <name> --scopes env:<environment>,target:<Target>[,read-only]");
            return 2;
        }
        TokenScopes scopes;
        try { scopes = TokenScopes.Parse(scopeText); }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"--scopes: {e.Message}");
            return 2;
        }
        var database = new Database(options.DatabasePath);
        await database.MigrateAsync(CancellationToken.None);
        var token = await new TokenStore(database).MintAsync(name, scopes, configuration["slack-user"], CancellationToken.None);
        await new AuditLog(database)
            .WriteAsync(Environment.UserName, "token.minted", $"tokens/{name}", 0, scopes.ToString(), CancellationToken.None);
        await Console.Error.WriteLineAsync($"Token '{name}' ({scopes}) stored as its SHA-256 in {options.DatabasePath}; it is shown once:");
        Console.WriteLine(token);
        return 0;
    }
}
