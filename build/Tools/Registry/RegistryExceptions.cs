using Pipeline.Engine;
using System.Net;

namespace Pipeline.Tools.Registry;

/// <summary>A registry answered with an error status (its own error code and message when it sent one).</summary>
public class RegistryException(string registry, HttpStatusCode status, string message, Exception? inner = null)
    : PipelineException($"{registry}: {message}", inner)
{
    public string Registry { get; } = registry;
    public HttpStatusCode Status { get; } = status;
}

/// <summary>401/403: credentials missing, wrong, or without the right; never retried.</summary>
public sealed class RegistryAuthenticationException(string registry, HttpStatusCode status, string message)
    : RegistryException(registry, status, message);

/// <summary>5xx, 429, a reset connection: worth another attempt after a pause.</summary>
public sealed class RegistryTransientException(string registry, HttpStatusCode status, string message, Exception? inner = null)
    : RegistryException(registry, status, message, inner);
