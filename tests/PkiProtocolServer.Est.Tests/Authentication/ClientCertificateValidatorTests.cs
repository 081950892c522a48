using Microsoft.Extensions.Logging.Abstractions;
using PkiProtocolServer.Est.Authentication;
using PkiProtocolServer.Est.Tests.Support;

namespace PkiProtocolServer.Est.Tests.Authentication;

public sealed class ClientCertificateValidatorTests
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 OurCa = TestCertificates.Root("Our issuing CA");
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Manufacturer = TestCertificates.Root("Manufacturer CA");
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Stranger = TestCertificates.Root("Somebody else's CA");

    private static ClientCertificateValidator Validator() => new(InMemoryIssuers.Catalog(OurCa), TimeProvider.System, NullLogger<ClientCertificateValidator>.Instance);

    [Fact]
    public async Task A_valid_certificate_we_issued_is_accepted_as_ours_on_any_label()
    {
        using var device = TestCertificates.Leaf(OurCa, "device-1", ekus: [ClientAuth]);

        var result = await Validator().ValidateAsync(TestLabels.With(), device, CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.True(result.IssuedByUs);
        Assert.Equal(OurCa.Thumbprint, result.Chain[^1].Thumbprint);
    }

    [Fact]
    public async Task A_manufacturer_certificate_is_accepted_only_where_the_manufacturer_is_a_trust_anchor()
    {
        using var idevid = TestCertificates.Leaf(Manufacturer, "serial-0042");

        var onFactory = await Validator().ValidateAsync(TestLabels.With(anchors: Manufacturer), idevid, CancellationToken.None);
        var elsewhere = await Validator().ValidateAsync(TestLabels.With(name: "other"), idevid, CancellationToken.None);

        Assert.True(onFactory.Accepted);
        Assert.False(onFactory.IssuedByUs);
        Assert.False(elsewhere.Accepted);
    }

    [Fact]
    public async Task An_expired_certificate_of_ours_is_refused()
    {
        using var expired = TestCertificates.Leaf(OurCa, "device-1", notBefore: DateTimeOffset.UtcNow.AddDays(-60), notAfter: DateTimeOffset.UtcNow.AddDays(-1));

        var result = await Validator().ValidateAsync(TestLabels.With(), expired, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Contains("validity", result.Reason);
    }

    [Fact]
    public async Task A_certificate_not_yet_valid_is_refused()
    {
        using var early = TestCertificates.Leaf(OurCa, "device-1", notBefore: DateTimeOffset.UtcNow.AddDays(1), notAfter: DateTimeOffset.UtcNow.AddDays(30));

        Assert.False((await Validator().ValidateAsync(TestLabels.With(), early, CancellationToken.None)).Accepted);
    }

    [Fact]
    public async Task A_foreign_certificate_is_refused_even_on_a_label_with_other_anchors()
    {
        using var foreign = TestCertificates.Leaf(Stranger, "device-1");

        var result = await Validator().ValidateAsync(TestLabels.With(anchors: Manufacturer), foreign, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.False(result.IssuedByUs);
    }

    [Fact]
    public async Task A_certificate_naming_our_ca_as_issuer_but_signed_by_another_key_is_not_ours()
    {
        // Same subject name as our CA, different key: a forgery that only a signature check catches.
        using var impostorCa = TestCertificates.Root("Our issuing CA");
        using var forged = TestCertificates.Leaf(impostorCa, "device-1");

        Assert.False((await Validator().ValidateAsync(TestLabels.With(), forged, CancellationToken.None)).Accepted);
    }

    [Fact]
    public async Task A_certificate_whose_extended_key_usage_leaves_out_client_auth_is_refused()
    {
        using var serverOnly = TestCertificates.Leaf(OurCa, "web-1", ekus: [ServerAuth]);
        using var manufacturerServerOnly = TestCertificates.Leaf(Manufacturer, "web-2", ekus: [ServerAuth]);

        Assert.False((await Validator().ValidateAsync(TestLabels.With(), serverOnly, CancellationToken.None)).Accepted);
        Assert.False((await Validator().ValidateAsync(TestLabels.With(anchors: Manufacturer), manufacturerServerOnly, CancellationToken.None)).Accepted);
    }
}
