using System.Text.Json.Serialization;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Resources;

/// <summary>A RenewalInfo object (RFC 9773 4.2).</summary>
public sealed record RenewalInfoResource(
    SuggestedWindowResource SuggestedWindow,
    [property: JsonPropertyName("explanationURL")] string? ExplanationUrl)
{
    public static RenewalInfoResource From(RenewalSuggestion suggestion) =>
        new(new SuggestedWindowResource(suggestion.Start, suggestion.End), suggestion.ExplanationUrl);
}

/// <summary>The <c>suggestedWindow</c> of a RenewalInfo object: RFC 3339 instants.</summary>
public sealed record SuggestedWindowResource(DateTimeOffset Start, DateTimeOffset End);
