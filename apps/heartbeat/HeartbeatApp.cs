using Microsoft.AspNetCore.Routing;

namespace Heartbeat;

/// <summary>Composes the web application from settings; tests start it on 127.0.0.1:0.</summary>
internal static class HeartbeatApp
{
    public static WebApplication Build(string[] args, HeartbeatSettings settings, Action<WebApplication>? extraRoutes = null)
    {
        // No appsettings.json and no file watching: from a working directory of "/" a watcher would walk the whole file system.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(settings.Bind, settings.Port);
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.AddServerHeader = false;
        });
        // SIGTERM: stop accepting, let in-flight requests finish, give up after the bound.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, HeartbeatJsonContext.Default)
        );
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RequestCounters>();
        builder.Services.AddSingleton(settings);

        var app = builder.Build();
        var counters = app.Services.GetRequiredService<RequestCounters>();
        app.Use(async (context, next) =>
        {
            try { await next(context); }
            finally { counters.CountRequest(RouteOf(context), context.Response.StatusCode); }
        });

        if (!settings.AuthConfigured)
            app.Logger.LogWarning("HEARTBEAT_USER/HEARTBEAT_PASSWORD not set: /stats and /notify refuse every request");

        Endpoints.Map(app, settings, counters);
        extraRoutes?.Invoke(app);
        return app;
    }

    /// <summary>The route template, so unknown paths cannot blow up the number of counters.</summary>
    private static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
}
