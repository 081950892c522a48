using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Revocation;

namespace PkiProtocolServer.Core.Tests.Revocation;

public sealed class RevocationReasonsTests
{
    [Theory]
    [InlineData(null, RevocationReason.Unspecified)]
    [InlineData("", RevocationReason.Unspecified)]
    [InlineData("key_compromise", RevocationReason.KeyCompromise)]
    [InlineData("keyCompromise", RevocationReason.KeyCompromise)]
    [InlineData("KEY-COMPROMISE", RevocationReason.KeyCompromise)]
    [InlineData("1", RevocationReason.KeyCompromise)]
    [InlineData("ca_compromise", RevocationReason.CaCompromise)]
    [InlineData("cACompromise", RevocationReason.CaCompromise)]
    [InlineData("superseded", RevocationReason.Superseded)]
    [InlineData("5", RevocationReason.CessationOfOperation)]
    [InlineData("privilege_withdrawn", RevocationReason.PrivilegeWithdrawn)]
    [InlineData("10", RevocationReason.AaCompromise)]
    public void Reasons_are_read_as_codes_snake_case_or_rfc_names(string? text, RevocationReason expected) =>
        Assert.Equal(expected, RevocationReasons.Parse(text));

    [Theory]
    [InlineData("certificate_hold")]
    [InlineData("6")]
    [InlineData("remove_from_crl")]
    [InlineData("8")]
    [InlineData("7")]
    [InlineData("11")]
    [InlineData("because")]
    public void Hold_removal_unused_and_unknown_reasons_are_refused(string text)
    {
        var e = Assert.Throws<PkiException>(() => RevocationReasons.Parse(text));

        Assert.Equal(PkiErrorKind.Malformed, e.Kind);
    }

    [Fact]
    public void Every_accepted_reason_reads_back_from_its_name()
    {
        foreach (var reason in RevocationReasons.Accepted)
        {
            Assert.Equal(reason, RevocationReasons.Parse(RevocationReasons.Name(reason)));
        }

        Assert.Equal("aa_compromise", RevocationReasons.Name(RevocationReason.AaCompromise));
        Assert.Equal("cessation_of_operation", RevocationReasons.Name(RevocationReason.CessationOfOperation));
    }
}
