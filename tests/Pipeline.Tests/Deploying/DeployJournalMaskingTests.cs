using FluentAssertions;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using System.Text.Json;
using Xunit;

namespace Pipeline.Tests.Deploying;

public class DeployJournalMaskingTests
{
    [Fact]
    public void A_step_whose_detail_quotes_a_secret_is_journalled_with_the_secret_masked_in_its_JSON_escaped_form_too()
    {
        var session = new BuildSession([]);
        session.ActivateForThisFlow();
        var path = Path.Combine(Path.GetTempPath(), $"deploy-journal-{Guid.NewGuid():N}.jsonl");
        try
        {
            // '+' and '&' are escaped by System.Text.Json (\u002B, \u0026): the raw value is not what lands in the file.
            const string token = "hc+Tok/3n&canary";
            session.Secrets.Register(token);
            var journal = new DeployJournal(path);

            journal.Append(new JournalEntry("d1", DateTimeOffset.UtcNow, "failed", "web-1", Detail: $"GET /heartbeat?token={token} → 404"));

            var text = File.ReadAllText(path);
            text.Should().NotContain(JsonSerializer.Serialize(token)[1..^1]).And.NotContain(token);
            journal.Read().Single().Detail.Should().Be("GET /heartbeat?token=**** → 404");
        }
        finally
        {
            session.Deactivate();
            File.Delete(path);
        }
    }
}
