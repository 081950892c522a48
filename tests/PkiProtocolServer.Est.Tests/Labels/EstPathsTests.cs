namespace PkiProtocolServer.Est.Tests.Labels;

public sealed class EstPathsTests
{
    [Theory]
    [InlineData("factory")]
    [InlineData("line-2.devices_eu")]
    [InlineData("A1")]
    public void Plain_path_segments_are_valid_labels(string label) => Assert.True(EstPaths.IsValidLabel(label));

    [Theory]
    [InlineData("")]
    [InlineData("simpleenroll")]
    [InlineData("CACERTS")]
    [InlineData("default")]
    [InlineData("with/slash")]
    [InlineData("with space")]
    [InlineData("..")]
    [InlineData("ünicode")]
    public void Operation_names_reserved_words_and_unsafe_text_are_not_labels(string label) => Assert.False(EstPaths.IsValidLabel(label));

    [Fact]
    public void Paths_follow_rfc_7030_with_and_without_a_label()
    {
        Assert.Equal("/.well-known/est/simpleenroll", EstPaths.Path(string.Empty, EstPaths.SimpleEnroll));
        Assert.Equal("/.well-known/est/factory/cacerts", EstPaths.Path("factory", EstPaths.CaCerts));
    }
}
