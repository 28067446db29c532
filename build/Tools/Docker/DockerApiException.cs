using Pipeline.Engine;
using System.Net;

namespace Pipeline.Tools.Docker;

/// <summary>The engine answered an API call with an error status; <see cref="Exception.Message"/> carries its message.</summary>
public sealed class DockerApiException(HttpStatusCode status, string operation, string message)
    : PipelineException($"Docker engine: {operation}: {message} (HTTP {(int)status})")
{
    public HttpStatusCode Status { get; } = status;
    public string EngineMessage { get; } = message;
    public bool IsNotFound => Status == HttpStatusCode.NotFound;
    public bool IsConflict => Status == HttpStatusCode.Conflict;
}
