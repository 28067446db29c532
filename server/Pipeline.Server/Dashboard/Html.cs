using System.Text;
using System.Text.Encodings.Web;

namespace Pipeline.Server.Dashboard;

/// <summary>The dashboard's page frame: server-rendered HTML, one inline style sheet, no front-end build. Every value goes
/// through <see cref="E"/> (HTML-encoded).</summary>
public static class Html
{
    public static string E(object? value) => HtmlEncoder.Default.Encode(value?.ToString() ?? "");

    public static IResult Page(string title, string body, string? who = null, string? antiforgery = null)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{E(title)}} · Pipeline</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
            header{background:#1d2430;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1rem;align-items:center}
            header a{color:#fff} main{padding:1rem 1.2rem;max-width:72rem}
            table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1.2rem}
            th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #e3e6eb;vertical-align:top}
            .succeeded{color:#17803d} .failed,.interrupted,.halted{color:#b42318} .running,.queued{color:#9a6700}
            .muted{color:#6b7280;font-size:.85em} pre{background:#0f1720;color:#d7dee8;padding:.8rem;overflow:auto;max-height:60vh}
            form.inline{display:inline} input[type=text],input[type=password]{padding:.3rem;min-width:18rem}
            </style></head><body><header><strong><a href="/">Pipeline</a></strong><span>{{E(title)}}</span>
            """);
        if (who is not null && antiforgery is not null)
            html.Append($"""
                <span style="margin-left:auto">{E(who)}</span><form class="inline" method="post" action="/logout">{antiforgery}
                <button>Log out</button></form>
                """);
        html.Append($"</header><main>{body}</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    public static string Ago(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t) return "";
        var age = now - t;
        var text = age.TotalSeconds < 90 ? $"{age.TotalSeconds:0}s" : age.TotalMinutes < 90 ? $"{age.TotalMinutes:0}m"
            : age.TotalHours < 48 ? $"{age.TotalHours:0.#}h" : $"{age.TotalDays:0.#}d";
        return $"<span title=\"{E(t.ToString("u"))}\">{text} ago</span>";
    }
}
