using FluentAssertions;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.Tests.Tools.Process;

public class DummyListenTests
{
    [Fact]
    public async Task Dummy_listen_answers_http_requests_until_cancelled()
    {
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancellation = new CancellationTokenSource();
        var run = Pipeline.Tools.Process.CommandExecution.RunAsync(
            DummyExe.Wrap("listen", "0").WithStandardOutputPipe(ProcessText.Lines(line =>
            {
                if (line.StartsWith("listening ", StringComparison.Ordinal))
                    port.TrySetResult(int.Parse(line["listening ".Length..]));
            })),
            cancellation.Token);

        try
        {
            var listening = await port.Task.WaitAsync(TimeSpan.FromSeconds(20));
            using var http = new HttpClient();

            var response = await http.GetAsync($"http://127.0.0.1:{listening}/health");

            ((int)response.StatusCode).Should().Be(200);
            (await response.Content.ReadAsStringAsync()).Should().Be("ok");
        }
        finally
        {
            cancellation.Cancel();
            await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
        }
    }
}
