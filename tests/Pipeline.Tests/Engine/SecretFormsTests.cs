using FluentAssertions;
using Pipeline.Engine;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipeline.Tests.Engine;

/// <summary>The spellings of a secret the masker hides besides the secret itself, and the file writer that applies it.</summary>
public class SecretFormsTests
{
    // Characters that every encoding changes: '+', '/', '&', '"', '<', a space, a non-ASCII letter.
    private const string Secret = "p@ss w+rd/\"<é>&9Zq";

    private static SecretMasker Masker(params string[] secrets)
    {
        var masker = new SecretMasker();
        foreach (var s in secrets) masker.Register(s);
        return masker;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void The_URL_encoded_forms_of_a_secret_are_masked()
    {
        var masker = Masker(Secret);
        masker.Mask($"https://h/?t={Uri.EscapeDataString(Secret)}&x=1").Should().Be("https://h/?t=****&x=1");
        masker.Mask($"form={WebUtility.UrlEncode(Secret)}").Should().Be("form=****");
        var lower = System.Text.RegularExpressions.Regex.Replace(Uri.EscapeDataString(Secret), "%[0-9A-F]{2}", m =>
            m.Value.ToLowerInvariant()
        );
        masker.Mask($"lower={lower}").Should().Be("lower=****");
    }

    [Fact]
    public void The_JSON_escaped_forms_of_a_secret_are_masked_with_strict_and_relaxed_encoders()
    {
        var masker = Masker(Secret);
        var strict = JsonSerializer.Serialize(new { password = Secret });
        var relaxed = JsonSerializer.Serialize(
            new { password = Secret },
            new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
        );
        var node = new JsonObject { ["password"] = Secret }.ToJsonString();

        masker.Mask(strict).Should().Be("""{"password":"****"}""");
        masker.Mask(relaxed).Should().Be("""{"password":"****"}""");
        masker.Mask(node).Should().Be("""{"password":"****"}""");
    }

    [Fact]
    public void The_HTML_encoded_form_of_a_secret_is_masked()
    {
        Masker(Secret).Mask($"<td>{WebUtility.HtmlEncode(Secret)}</td>").Should().Be("<td>****</td>");
    }

    [Fact]
    public void The_base64_of_a_secret_alone_is_masked_padded_unpadded_and_URL_safe()
    {
        var masker = Masker(Secret);
        var b64 = Base64(Secret);
        masker.Mask($"x {b64} y").Should().Be("x **** y");
        masker.Mask($"x {b64.TrimEnd('=')} y").Should().Be("x **** y");
        masker.Mask($"x {b64.TrimEnd('=').Replace('+', '-').Replace('/', '_')} y").Should().Be("x **** y");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("AWS:")]
    [InlineData("deploy:")]
    [InlineData("x-access-token:")]
    public void The_base64_of_a_secret_inside_a_longer_text_is_masked_at_each_of_the_three_byte_alignments(string prefix)
    {
        foreach (var secret in new[] { Secret, "ghp_16C7e42F292c6912E7710c838347Ae178B4a" })
        {
            var masker = Masker(secret);
            var header = "Authorization: Basic " + Base64(prefix + secret + ":tail");

            var masked = masker.Mask(header);

            masked.Should().Contain("****");
            // What is left around the mask decodes to at most the edges of the secret: never a run of 3 of its bytes.
            var left = masked.Replace("Authorization: Basic ", "").Split("****");
            left.Should().HaveCount(2);
            left[0].Length.Should().BeLessThanOrEqualTo((prefix.Length + 3) / 3 * 4 + 4);
            left[1].Length.Should().BeLessThanOrEqualTo(4 + (":tail".Length + 2) / 3 * 4 + 4);
            masked.Should().NotContain(Base64(secret)[..8]);
        }
    }

    [Fact]
    public void The_base64_of_common_user_secret_pairs_is_masked()
    {
        const string token = "s3cr3t-canary-4Kq9";
        var masker = Masker(token);
        foreach (var user in new[] { "AWS", "x-access-token", "oauth2accesstoken", "_json_key", "pipeline" })
            masker.Mask(Base64($"{user}:{token}")).Should().Contain("****").And.NotContain(Base64(token)[..8]);
    }

    [Fact]
    public void Derived_forms_too_short_to_be_told_from_other_text_are_not_masked()
    {
        var masker = Masker("abc");
        masker.Mask("YWJj abc").Should().Be("YWJj ****", "base64 of a 3-character secret is 4 characters: any text could hold them");
        SecretForms.Of("abc").Should().Equal("abc");
        SecretForms
            .Of(Secret)
            .Should()
            .OnlyContain(f => f == Secret || f.Length >= SecretForms.MinimumDerivedLength)
            .And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void Registering_a_value_counts_it_once_whatever_its_number_of_forms()
    {
        var masker = Masker(Secret, Secret, "another-secret");
        masker.Count.Should().Be(2);
    }

    [Theory]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("AWS_ACCESS_KEY_ID", true)]
    [InlineData("GCP_ACCESS_TOKEN", true)]
    [InlineData("GITHUB_TOKEN", true)]
    [InlineData("SLACK_WEBHOOK", true)]
    [InlineData("GHCR_TOKEN", true)]
    [InlineData("ECR_PASSWORD", true)]
    [InlineData("STAGING_DATABASE_URL", true)]
    [InlineData("S3_SECRET_KEY", true)]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS_FILE", false)]
    [InlineData("STAGING_SSH_KEY_PATH", false)]
    [InlineData("PATH", false)]
    [InlineData("GITHUB_REPOSITORY", false)]
    public void Credential_variables_are_told_by_their_names(string name, bool credential) =>
        CredentialVariables.IsCredential(name).Should().Be(credential);

    [Fact]
    public void Credential_variables_are_registered_unless_too_short_to_be_one()
    {
        var masker = new SecretMasker();
        CredentialVariables.Register(new Dictionary<string, string>
        {
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG",
            ["SOME_TOKEN"] = "none",
            ["HOME"] = "/root/home-directory",
        }, masker);

        masker.Count.Should().Be(1);
        masker.Mask("wJalrXUtnFEMI/K7MDENG none /root/home-directory").Should().Be("**** none /root/home-directory");
    }

    [Fact]
    public async Task Files_written_through_MaskedFile_hold_no_secret_nor_derived_form()
    {
        var session = new BuildSession([]);
        session.ActivateForThisFlow();
        var directory = Directory.CreateTempSubdirectory("masked-file-");
        try
        {
            session.Secrets.Register(Secret);
            var text =
                $"plain {Secret} url {Uri.EscapeDataString(Secret)} json {JsonSerializer.Serialize(Secret)} b64 {Base64("u:" + Secret)}";
            var path = Path.Combine(directory.FullName, "a", "b.txt");

            MaskedFile.WriteAllText(path, text);
            await MaskedFile.AppendAllTextAsync(path, text, CancellationToken.None);
            MaskedFile.AppendLineDurably(path, text);
            MaskedFile.WriteAtomically(path + ".2", text);

            foreach (var file in new[] { path, path + ".2" })
            {
                var written = File.ReadAllText(file);
                written.Should().Contain("plain **** url **** json \"****\" b64 ");
                foreach (var form in SecretForms.Of(Secret)) written.Should().NotContain(form);
            }
            File.Exists(path + ".2.tmp").Should().BeFalse();
        }
        finally
        {
            session.Deactivate();
            directory.Delete(recursive: true);
        }
    }
}
