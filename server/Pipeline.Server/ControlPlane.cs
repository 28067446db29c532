using Pipeline.Engine;
using Pipeline.Server.Access;
using Pipeline.Server.Api;
using Pipeline.Server.Hooks;
using Pipeline.Server.Jobs;
using Pipeline.Server.Storage;
using System.Text.Json.Serialization;

namespace Pipeline.Server;

/// <summary>The web application: services, middleware and endpoints.</summary>
public static class ControlPlane
{
    public static async Task<int> RunAsync(string[] args)
    {
        var app = Build(args);
        var options = app.Services.GetRequiredService<ServerOptions>();
        await app.Services.GetRequiredService<Database>().MigrateAsync(CancellationToken.None);
        await app.Services.GetRequiredService<JobRunner>().RecoverAsync(CancellationToken.None);
        if (!IsLoopback(options.Url))
            app.Logger.LogWarning(
                "Listening beyond loopback on {Url}: put TLS in front of it (tokens travel in headers and cookies).", options.Url);
        await app.RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = ServerOptions.From(builder.Configuration);
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(Masker(options));
        builder.Services.AddSingleton(new Database(options.DatabasePath));
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton(sp => new JobLog(options.JobLogDirectory, sp.GetRequiredService<SecretMasker>()));
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        builder.Services.AddSingleton<JobSubmission>();
        builder.Services.AddSingleton<ReplayGuard>();
        builder.Services.AddSingleton<SlackProgress>();
        builder.Services.AddSingleton<Status.BackupHistory>();
        builder.Services.AddSingleton<Dashboard.StatusRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Dashboard.StatusRefresher>());
        builder.Services.AddHttpClient();
        builder.Services.AddAntiforgery(a => a.Cookie.Name = "pipeline_csrf");
        builder.Services.AddPipelineRateLimits(options.RateLimitPerMinute);
        builder.Services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            j.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        });

        var app = builder.Build();
        app.UseMiddleware<CallerMiddleware>();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapGet("/healthz", () => Results.Text("ok"));
        JobEndpoints.Map(app);
        HookEndpoints.Map(app);
        Dashboard.DashboardEndpoints.Map(app);
        return app;
    }

    /// <summary>Everything the build would mask: the values of the [Secret] parameters' variables (named by Serve) and of every
    /// credential-looking variable of the server's environment, which the jobs inherit.</summary>
    private static SecretMasker Masker(ServerOptions options)
    {
        var masker = new SecretMasker();
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        CredentialVariables.Register(environment, masker);
        foreach (var name in options.SecretVariables.Append(HookEndpoints.SlackSecretVariable).Append(HookEndpoints.GitHubSecretVariable))
            if (environment.TryGetValue(name, out var value)) masker.Register(value);
        return masker;
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host, out var ip) && System.Net.IPAddress.IsLoopback(ip)));
}
