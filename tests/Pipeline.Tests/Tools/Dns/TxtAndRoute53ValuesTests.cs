using FluentAssertions;
using Pipeline.Tools.Cloudflare;
using Pipeline.Tools.Dns;
using Pipeline.Tools.Route53;
using Xunit;

namespace Pipeline.Tests.Tools.Dns;

public sealed class TxtAndRoute53ValuesTests
{
    [Theory]
    [InlineData("heritage=pipeline,owner=staging", "\"heritage=pipeline,owner=staging\"")]
    [InlineData("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"")]
    [InlineData("", "\"\"")]
    public void A_TXT_value_is_quoted_with_its_quotes_and_backslashes_escaped_and_reads_back(string value, string quoted)
    {
        TxtStrings.Quote(value).Should().Be(quoted);
        TxtStrings.Unquote(quoted).Should().Be(value);
    }

    [Fact]
    public void A_TXT_value_longer_than_255_characters_becomes_several_strings_that_read_back_joined()
    {
        var value = new string('x', 300);

        var quoted = TxtStrings.Quote(value);

        quoted.Should().Be($"\"{new string('x', 255)}\" \"{new string('x', 45)}\"");
        TxtStrings.Unquote(quoted).Should().Be(value);
    }

    [Fact]
    public void Unquoted_TXT_content_as_Cloudflare_may_answer_it_reads_as_it_is()
    {
        new CloudflareRecord("1", "_pipeline.web.example.test", "TXT", "heritage=pipeline,owner=staging", 60).Value
            .Should().Be("heritage=pipeline,owner=staging");
        new CloudflareRecord("2", "web.example.test", "CNAME", "LB.Example.net.", 60).Value.Should().Be("lb.example.net");
    }

    [Fact]
    public void Route53_names_and_targets_read_without_the_final_dot_and_with_octal_escapes_decoded()
    {
        Route53Values.Unescape("\\052.Example.test.").Should().Be("*.example.test");
        Route53Values.Read(DnsRecordType.CNAME, "lb.example.net.").Should().Be("lb.example.net");
        Route53Values.Write(DnsRecordType.CNAME, "lb.example.net").Should().Be("lb.example.net.");
        Route53Values.Write(DnsRecordType.A, "10.0.0.1").Should().Be("10.0.0.1");
        Route53Values.Read(DnsRecordType.TXT, Route53Values.Write(DnsRecordType.TXT, "a\"b")).Should().Be("a\"b");
    }
}
