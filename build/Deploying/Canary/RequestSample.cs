namespace Pipeline.Deploying.Canary;

/// <summary>
/// One request as HAProxy logged it: the server that answered, the HTTP status (-1 when no response came back) and the
/// response time in milliseconds (HAProxy's <c>%Tr</c>: request sent to response headers received; -1 without a response).
/// </summary>
public sealed record RequestSample(string Backend, string Server, int Status, int ResponseMs)
{
    /// <summary>A server error or no response at all: what the error-rate test counts.</summary>
    public bool Failed => Status is < 100 or >= 500;
}

/// <summary>The requests of one analysis window, split by who answered them.</summary>
public sealed record SampleSet(IReadOnlyList<RequestSample> Canary, IReadOnlyList<RequestSample> Baseline)
{
    public static SampleSet Empty { get; } = new([], []);

    public int CanaryFailed => Canary.Count(s => s.Failed);
    public int BaselineFailed => Baseline.Count(s => s.Failed);

    /// <summary>Response times of the answered requests (the latency test leaves out requests without a response).</summary>
    public static IReadOnlyList<double> Latencies(IEnumerable<RequestSample> samples) =>
        samples.Where(s => s.ResponseMs >= 0 && !s.Failed).Select(s => (double)s.ResponseMs).ToList();
}
