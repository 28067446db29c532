using Pipeline.Engine;

namespace Pipeline.Tools.Gcp;

/// <summary>A Compute Engine call answered with an HTTP error (the status tells e.g. 409 alreadyExists apart).</summary>
public sealed class GcpApiException(int status, string message) : PipelineException(message)
{
    public int Status { get; } = status;
}
