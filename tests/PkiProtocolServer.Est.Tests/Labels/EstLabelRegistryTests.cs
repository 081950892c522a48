using Microsoft.Extensions.Options;
using PkiProtocolServer.Contracts;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Est.Configuration;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Est.Tests.Support;

namespace PkiProtocolServer.Est.Tests.Labels;

public sealed class EstLabelRegistryTests : IDisposable
{
    private readonly OpensslCli _files = new();

    public void Dispose() => _files.Dispose();

    private static EstLabelRegistry Registry(EstOptions options) => new(Options.Create(options));

    [Fact]
    public void With_nothing_configured_the_default_label_uses_the_built_in_role_and_either_credential()
    {
        var registry = Registry(new EstOptions());

        var label = Assert.Single(registry.All);
        Assert.True(label.IsDefault);
        Assert.Equal(EstOptions.DefaultRoleName, label.Role);
        Assert.Equal(EstAuthenticationMode.PasswordOrCertificate, label.Authentication);
        Assert.Same(label, registry.Find(null));
        Assert.Same(label, registry.Find(string.Empty));
    }

    [Fact]
    public void A_named_label_loads_its_trust_anchors_and_settings()
    {
        using var manufacturer = TestCertificates.Root("Manufacturer CA");
        var anchors = _files.Write("anchors.pem", Pem.Encode("CERTIFICATE", manufacturer.RawData));
        var options = new EstOptions
        {
            Labels =
            {
                ["factory"] = new EstLabelOptions
                {
                    Role = "factory-devices",
                    Issuer = "hsm-int",
                    Authentication = EstAuthenticationMode.Certificate,
                    TrustAnchors = [anchors],
                    ManualApproval = true,
                    RetryAfterSeconds = 5,
                    RequireChannelBinding = true,
                },
            },
        };

        var label = Registry(options).Find("factory")!;

        Assert.Equal("factory-devices", label.Role);
        Assert.Equal("hsm-int", label.IssuerRef);
        Assert.Equal(manufacturer.Thumbprint, Assert.Single(label.TrustAnchors).Thumbprint);
        Assert.True(label.ManualApproval);
        Assert.Equal(TimeSpan.FromSeconds(5), label.RetryAfter);
        Assert.True(label.RequireChannelBinding);
        Assert.True(label.RequiresCertificate);
        Assert.False(label.AcceptsPassword);
        Assert.Null(Registry(options).Find("unknown"));
    }

    [Fact]
    public void Every_configuration_mistake_is_reported_at_start_naming_its_key()
    {
        using var root = TestCertificates.Root("Some CA");
        using var leaf = TestCertificates.Leaf(root, "not-a-ca");
        var options = new EstOptions
        {
            Labels =
            {
                ["simpleenroll"] = new EstLabelOptions { Role = "r" },
                ["no-role"] = new EstLabelOptions(),
                ["missing-file"] = new EstLabelOptions { Role = "r", TrustAnchors = ["/nonexistent/anchors.pem"] },
                ["leaf-anchor"] = new EstLabelOptions { Role = "r", TrustAnchors = [_files.Write("leaf.pem", Pem.Encode("CERTIFICATE", leaf.RawData))] },
                ["slow"] = new EstLabelOptions { Role = "r", RetryAfterSeconds = 0 },
            },
        };

        var e = Assert.Throws<OptionsValidationException>(() => Registry(options));

        Assert.Contains(e.Failures, f => f.StartsWith("Pki:Est:Labels:simpleenroll:", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Pki:Est:Labels:no-role:Role is required", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Pki:Est:Labels:missing-file:TrustAnchors:0", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("not a CA certificate", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Pki:Est:Labels:slow:RetryAfterSeconds", StringComparison.Ordinal));
    }
}
