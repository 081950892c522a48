using System.Security.Cryptography;
using System.Text;

namespace PkiProtocolServer.Tests.Est;

/// <summary>Every EST status code, each for the reason RFC 7030 gives it, always with a problem body (never a 500).</summary>
public sealed class EstStatusTests : IClassFixture<EstServerFixture>
{
    private const string Enroll = "/.well-known/est/simpleenroll";
    private readonly EstServerFixture _fixture;

    public EstStatusTests(EstServerFixture fixture)
    {
        _fixture = fixture;
    }

    private PkiServerFactory Server => _fixture.Server;

    [Fact]
    public async Task Malformed_base64_is_400()
    {
        var response = await Server.EstAsync("POST", Enroll, "this is *not* base64!", EstCalls.DefaultUser);

        Assert.Contains("base64", response.Problem(400, "malformed")["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_csr_with_a_bad_signature_is_400_bad_csr()
    {
        using var device = new DeviceKey();
        var csr = device.Csr("CN=tampered");
        csr[^5] ^= 0x01;

        var response = await Server.EnrollAsync(csr, basic: EstCalls.DefaultUser);

        Assert.Contains("signature", response.Problem(400, "bad-csr")["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Base64_of_something_that_is_not_a_csr_is_400_bad_csr()
    {
        var response = await Server.EstAsync("POST", Enroll, Convert.ToBase64String(RandomNumberGenerator.GetBytes(200)), EstCalls.DefaultUser);

        response.Problem(400, "bad-csr");
    }

    [Fact]
    public async Task A_csr_naming_nothing_is_400()
    {
        using var device = new DeviceKey();

        var response = await Server.EnrollAsync(device.Csr(string.Empty), basic: EstCalls.DefaultUser);

        response.Problem(400, "malformed");
    }

    [Fact]
    public async Task Names_the_role_refuses_are_403_with_one_subproblem_per_refused_name()
    {
        using var device = new DeviceKey();

        var response = await Server.EnrollAsync(device.Csr("CN=ok.devices.example.com", ["evil.example.net", "ok.devices.example.com"]), "/.well-known/est/strict/simpleenroll", ("device-1", _fixture.StrictPassword));

        var problem = response.Problem(403, "policy-refused");
        var refused = Assert.Single(problem["subproblems"]!.AsArray());
        Assert.Equal("allowed_domains", refused!["rule"]!.GetValue<string>());
        Assert.Equal("evil.example.net", refused["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_credentials_is_401_with_a_basic_challenge_for_the_label()
    {
        using var device = new DeviceKey();

        var response = await Server.EnrollAsync(device.Csr("CN=anonymous"), "/.well-known/est/strict/simpleenroll");

        response.Problem(401, "unauthorized");
        Assert.Equal("Basic realm=\"EST strict\", charset=\"UTF-8\"", response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task A_wrong_password_an_unknown_user_and_an_unreadable_header_all_answer_the_same_401()
    {
        using var device = new DeviceKey();
        var body = EstCalls.Base64(device.Csr("CN=guess"));

        var wrongPassword = await Server.EstAsync("POST", Enroll, body, ("est", "not the password"));
        var unknownUser = await Server.EstAsync("POST", Enroll, body, ("nobody", EstCalls.Password));
        var emptyPassword = await Server.EstAsync("POST", Enroll, body, ("est", string.Empty));
        var context = await Server.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Scheme = "https";
            c.Request.Path = Enroll;
            c.Request.Headers.Authorization = "Basic %%%";
            c.Request.ContentType = "application/pkcs10";
            c.Request.Body = new MemoryStream(Encoding.ASCII.GetBytes(body));
        });

        var texts = new List<string>();
        foreach (var response in new[] { wrongPassword, unknownUser, emptyPassword })
        {
            texts.Add(response.Problem(401, "unauthorized")["detail"]!.GetValue<string>());
            Assert.StartsWith("Basic ", response.Headers.WWWAuthenticate.ToString());
        }

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Single(texts.Distinct());
        Assert.DoesNotContain("password", texts[0].Replace("credentials", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Credentials_are_checked_before_the_body_so_a_bad_body_without_them_is_still_401()
    {
        var response = await Server.EstAsync("POST", Enroll, "garbage");

        response.Problem(401);
    }

    [Fact]
    public async Task A_foreign_client_certificate_is_403_on_a_certificate_label_and_401_where_a_password_would_do()
    {
        using var device = new DeviceKey();
        var foreign = EstServerFixture.LeafOf(_fixture.Stranger, "stranger-device");

        var onFactory = await Server.EnrollAsync(device.Csr("CN=stranger-device"), "/.well-known/est/factory/simpleenroll", clientCertificate: foreign);
        var onDefault = await Server.EnrollAsync(device.Csr("CN=stranger-device"), clientCertificate: foreign);

        onFactory.Problem(403, "forbidden");
        onDefault.Problem(401, "unauthorized");
    }

    [Fact]
    public async Task A_manufacturer_certificate_enrolls_on_the_label_that_trusts_its_ca()
    {
        using var device = new DeviceKey();
        var idevid = EstServerFixture.LeafOf(_fixture.Manufacturer, "serial-0042");

        var response = await Server.EnrollAsync(device.Csr("CN=serial-0042"), "/.well-known/est/factory/simpleenroll", clientCertificate: idevid);

        Assert.Equal("CN=serial-0042", response.Certificate().Subject);
    }

    [Fact]
    public async Task An_expired_certificate_of_ours_is_403_on_a_certificate_label_and_cannot_re_enroll()
    {
        using var requester = Server.Https("requester");
        var issued = await requester.PostJson("/api/v1/issue/est-device", new { common_name = "short-lived-device", ttl = "1s" }).Ok();
        var expired = Chains.Load(issued.Str("certificate"));
        await Task.Delay(expired.NotAfter.ToUniversalTime() - DateTime.UtcNow + TimeSpan.FromMilliseconds(1100));
        using var device = new DeviceKey();

        var onFactory = await Server.EnrollAsync(device.Csr("CN=short-lived-device"), "/.well-known/est/factory/simpleenroll", clientCertificate: expired);
        var reenroll = await Server.EnrollAsync(device.Csr("CN=short-lived-device"), "/.well-known/est/simplereenroll", clientCertificate: expired);

        onFactory.Problem(403, "forbidden");
        reenroll.Problem(401, "unauthorized");
    }

    [Fact]
    public async Task Re_enrolling_without_a_certificate_of_ours_is_403_even_with_the_password()
    {
        using var device = new DeviceKey();

        var withPassword = await Server.EnrollAsync(device.Csr("CN=device-9"), "/.well-known/est/simplereenroll", EstCalls.DefaultUser);
        var withManufacturerCertificate = await Server.EnrollAsync(device.Csr("CN=serial-7"), "/.well-known/est/factory/simplereenroll", clientCertificate: EstServerFixture.LeafOf(_fixture.Manufacturer, "serial-7"));

        Assert.Contains("4.2.2", withPassword.Problem(403, "forbidden")["detail"]!.GetValue<string>());
        withManufacturerCertificate.Problem(403, "forbidden");
    }

    [Fact]
    public async Task Re_enrolling_for_another_subject_is_403()
    {
        using var device = new DeviceKey();
        var current = (await Server.EnrollAsync(device.Csr("CN=device-10"), basic: EstCalls.DefaultUser)).Certificate();

        var response = await Server.EnrollAsync(device.Csr("CN=device-11"), "/.well-known/est/simplereenroll", clientCertificate: current);

        response.Problem(403, "forbidden");
    }

    [Fact]
    public async Task A_label_needing_both_credentials_refuses_either_alone_and_accepts_both()
    {
        using var device = new DeviceKey();
        var idevid = EstServerFixture.LeafOf(_fixture.Manufacturer, "serial-both");
        var csr = device.Csr("CN=serial-both");
        var password = ("line-7", _fixture.BothPassword);

        var passwordOnly = await Server.EnrollAsync(csr, "/.well-known/est/both/simpleenroll", password);
        var certificateOnly = await Server.EnrollAsync(csr, "/.well-known/est/both/simpleenroll", clientCertificate: idevid);
        var both = await Server.EnrollAsync(csr, "/.well-known/est/both/simpleenroll", password, idevid);

        passwordOnly.Problem(403, "forbidden");
        certificateOnly.Problem(401, "unauthorized");
        Assert.Equal("CN=serial-both", both.Certificate().Subject);
    }

    [Fact]
    public async Task An_unknown_label_is_404_and_an_unknown_operation_is_404()
    {
        using var device = new DeviceKey();

        var label = await Server.EnrollAsync(device.Csr("CN=x"), "/.well-known/est/nonexistent/simpleenroll", EstCalls.DefaultUser);
        var operation = await Server.EstAsync("GET", "/.well-known/est/getcert");

        Assert.Contains("nonexistent", label.Problem(404, "not-found")["detail"]!.GetValue<string>());
        operation.Problem(404);
    }

    [Fact]
    public async Task A_get_on_an_enrollment_operation_is_405()
    {
        var response = await Server.EstAsync("GET", Enroll);

        response.Problem(405);
    }

    [Fact]
    public async Task A_body_that_is_not_application_pkcs10_is_415()
    {
        using var device = new DeviceKey();

        var response = await Server.EstAsync("POST", Enroll, EstCalls.Base64(device.Csr("CN=x")), EstCalls.DefaultUser, contentType: "application/json");

        response.Problem(415, "unsupported-media-type");
    }

    [Fact]
    public async Task Fullcmc_is_501_and_serverkeygen_on_a_label_without_it_is_501()
    {
        using var device = new DeviceKey();

        var fullCmc = await Server.EstAsync("POST", "/.well-known/est/fullcmc", "MIIB", EstCalls.DefaultUser, contentType: "application/pkcs7-mime");
        var keygen = await Server.EnrollAsync(device.Csr("CN=x"), "/.well-known/est/nokeygen/serverkeygen", EstCalls.DefaultUser);

        fullCmc.Problem(501, "not-implemented");
        keygen.Problem(501, "not-implemented");
    }

    [Fact]
    public async Task Serverkeygen_asked_to_encrypt_the_key_to_a_client_key_is_501()
    {
        using var device = new DeviceKey();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=wants-encryption", device.Key, HashAlgorithmName.SHA256);
        request.OtherRequestAttributes.Add(new AsnEncodedData("1.2.840.113549.1.9.16.2.37", [0x04, 0x02, 0x01, 0x02]));

        var response = await Server.EnrollAsync(request.CreateSigningRequest(), "/.well-known/est/serverkeygen", EstCalls.DefaultUser);

        Assert.Contains("4.4.1", response.Problem(501, "not-implemented")["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_label_whose_role_is_missing_is_503_not_a_500()
    {
        var response = await Server.EstAsync("GET", "/.well-known/est/orphan/cacerts");

        response.Problem(503);
        Assert.Equal("30", response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task Est_is_not_served_over_plain_http()
    {
        var response = await Server.EstAsync("GET", "/.well-known/est/cacerts", https: false);

        response.Problem(404, "https-only");
    }

    [Fact]
    public async Task No_body_of_random_or_mutated_bytes_gives_a_500()
    {
        using var device = new DeviceKey();
        var valid = device.Csr("CN=fuzz", ["fuzz.local"]);
        var random = new Random(7030);
        var bodies = new List<string> { string.Empty, "=", "====", new string('A', 70_000), "-----BEGIN CERTIFICATE REQUEST-----" };
        for (var i = 0; i < 120; i++)
        {
            var bytes = (byte[])valid.Clone();
            switch (i % 4)
            {
                case 0: bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes = bytes[..random.Next(1, bytes.Length)]; break;
                case 2: bytes = RandomNumberGenerator.GetBytes(random.Next(1, 400)); break;
                default: bytes[random.Next(bytes.Length)] = (byte)random.Next(256); bytes[random.Next(bytes.Length)] = (byte)random.Next(256); break;
            }

            bodies.Add(Convert.ToBase64String(bytes));
        }

        foreach (var body in bodies)
        {
            foreach (var path in new[] { Enroll, "/.well-known/est/serverkeygen" })
            {
                var response = await Server.EstAsync("POST", path, body, EstCalls.DefaultUser);
                Assert.True(response.Status is 200 or 400 or 403 or 413, $"{path} answered {response.Status} to a mutated body: {response.Text}");
            }
        }
    }
}
