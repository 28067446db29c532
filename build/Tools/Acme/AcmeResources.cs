using System.Text.Json.Serialization;

namespace Pipeline.Tools.Acme;

/// <summary>The directory (RFC 8555 §7.1.1); URLs are always read from it, never built.</summary>
public sealed record AcmeDirectory(
    Uri NewNonce,
    Uri NewAccount,
    Uri NewOrder,
    Uri? RevokeCert,
    Uri? KeyChange,
    Uri? RenewalInfo,
    AcmeDirectoryMeta? Meta
);

public sealed record AcmeDirectoryMeta(bool ExternalAccountRequired, Uri? TermsOfService);

public sealed record AcmeIdentifier(string Type, string Value);

/// <summary>An order (§7.1.3); <see cref="Url"/> comes from the Location header.</summary>
public sealed record AcmeOrder(
    string Status,
    IReadOnlyList<AcmeIdentifier> Identifiers,
    IReadOnlyList<Uri> Authorizations,
    Uri Finalize,
    Uri? Certificate,
    AcmeProblem? Error
)
{
    [JsonIgnore] public Uri? Url { get; init; }
}

public sealed record AcmeAuthorization(string Status, AcmeIdentifier Identifier, IReadOnlyList<AcmeChallenge> Challenges, bool Wildcard);

public sealed record AcmeChallenge(string Type, Uri Url, string Status, string? Token, AcmeProblem? Error);

/// <summary>An RFC 7807 problem document as ACME sends it (§6.7).</summary>
public sealed record AcmeProblem(string? Type, string? Detail, int? Status, IReadOnlyList<AcmeProblem>? Subproblems)
{
    public override string ToString() =>
        $"{Type?.Replace("urn:ietf:params:acme:error:", "")}: {Detail}" +
        (Subproblems is { Count: > 0 } s ? " (" + string.Join("; ", s.Select(p => p.ToString())) + ")" : "");
}

/// <summary>ARI (RFC 9773) renewalInfo: when the CA suggests renewing.</summary>
public sealed record RenewalInfo(RenewalWindow SuggestedWindow, Uri? ExplanationUrl);

public sealed record RenewalWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>An error answer of the CA, with its problem document.</summary>
public sealed class AcmeException(string message, AcmeProblem? problem = null) : Engine.PipelineException(message)
{
    public AcmeProblem? Problem { get; } = problem;
    public bool IsBadNonce => Problem?.Type == "urn:ietf:params:acme:error:badNonce";
}
