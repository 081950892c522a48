using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Keys.Pkcs11.Tests;

/// <summary>Option validation and PIN sources; no token needed.</summary>
public sealed class Pkcs11KeyCustodyOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pki-pkcs11-options-").FullName;
    private readonly string _variable = "PKI_TEST_PIN_" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Defaults_point_at_softhsm_with_a_pool_of_eight()
    {
        var options = new Pkcs11KeyCustodyOptions();

        Assert.Equal("/usr/lib/softhsm/libsofthsm2.so", options.ModulePath);
        Assert.Equal(8, options.SessionPoolSize);
    }

    [Fact]
    public void Validation_lists_every_problem()
    {
        var errors = Pkcs11KeyCustodyOptions.Validate(new Pkcs11KeyCustodyOptions
        {
            ModulePath = "/nonexistent/libvendor-pkcs11.so",
            TokenLabel = "",
            SessionPoolSize = 0,
        });

        Assert.Contains(errors, e => e.Contains("ModulePath '/nonexistent/libvendor-pkcs11.so' does not exist", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("TokenLabel is empty", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("SessionPoolSize 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("no PKCS#11 user PIN is configured", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_label_longer_than_32_bytes_is_refused()
    {
        var errors = Pkcs11KeyCustodyOptions.Validate(new Pkcs11KeyCustodyOptions { TokenLabel = new string('x', 33), Pin = "1234" });

        Assert.Contains(errors, e => e.Contains("32 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void The_custody_constructor_refuses_invalid_options_without_touching_the_module()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Pkcs11KeyCustody(new Pkcs11KeyCustodyOptions { TokenLabel = "ca" }));

        Assert.Contains("no PKCS#11 user PIN is configured", ex.Message);
    }

    [Fact]
    public void Environment_variable_wins_over_file_and_literal()
    {
        Environment.SetEnvironmentVariable(_variable, "from-env");
        var options = Options(pinFile: WritePinFile("from-file\n"), pin: "from-literal", variable: _variable);

        Assert.Equal("from-env", options.ResolvePin());
    }

    [Fact]
    public void File_wins_over_literal_and_loses_its_trailing_newline()
    {
        var options = Options(pinFile: WritePinFile("from-file\r\n"), pin: "from-literal");

        Assert.Equal("from-file", options.ResolvePin());
    }

    [Fact]
    public void Literal_is_used_when_nothing_else_is_configured()
    {
        Assert.Equal("from-literal", Options(pin: "from-literal").ResolvePin());
    }

    [Fact]
    public void A_named_but_unset_variable_is_an_error_not_a_fallback_to_the_literal()
    {
        var options = Options(pin: "stale-literal", variable: _variable);

        var ex = Assert.Throws<PkiException>(options.ResolvePin);
        Assert.Contains(_variable, ex.Message);
        Assert.DoesNotContain("stale-literal", ex.Message);
        Assert.Contains(Pkcs11KeyCustodyOptions.Validate(options), e => e.Contains(_variable, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_or_empty_pin_file_is_an_error()
    {
        var missing = Path.Combine(_directory, "absent");

        Assert.Contains("cannot be read", Assert.Throws<PkiException>(Options(pinFile: missing).ResolvePin).Message);
        Assert.Contains("is empty", Assert.Throws<PkiException>(Options(pinFile: WritePinFile("\n")).ResolvePin).Message);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        Directory.Delete(_directory, recursive: true);
    }

    private static Pkcs11KeyCustodyOptions Options(string? pinFile = null, string? pin = null, string? variable = null) => new()
    {
        TokenLabel = "ca",
        Pin = pin,
        PinFile = pinFile,
        PinEnvironmentVariable = variable,
    };

    private string WritePinFile(string content)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        return path;
    }
}
