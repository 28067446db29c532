using System.Text;

namespace Pipeline.Tools.GitHub;

/// <summary>
/// The last step before a GitHub request leaves, under Octokit: the JSON body is masked like the log (a second guard
/// behind the masked descriptions) and declared as <c>application/json</c> (Octokit labels it as a form), the REST
/// API version is pinned with <c>X-GitHub-Api-Version</c>, and the caller's cancellation reaches the socket
/// (Octokit's methods take no token, so <see cref="GitHubClient"/> hands it over through <see cref="Call"/>).
/// </summary>
internal sealed class GitHubHandler() : DelegatingHandler(Octokit.Internal.HttpMessageHandlerFactory.CreateDefault())
{
    public const string ApiVersion = "2022-11-28";

    /// <summary>The token of the <see cref="GitHubClient"/> call in flight on this async flow.</summary>
    public static readonly AsyncLocal<CancellationToken> Call = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Remove("X-GitHub-Api-Version");
        request.Headers.Add("X-GitHub-Api-Version", ApiVersion);
        if (request.Content is { } content)
        {
            var body = await content.ReadAsStringAsync(ct);
            request.Content = new StringContent(Engine.Secrets.Mask(body), Encoding.UTF8, "application/json");
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, Call.Value);
        return await base.SendAsync(request, linked.Token);
    }
}
