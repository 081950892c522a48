using PkiProtocolServer.Est.Authentication;
using PkiProtocolServer.Est.ChannelBinding;

namespace PkiProtocolServer.Est.Enrollment;

/// <summary>An authenticated EST enrollment request, its body decoded from base64.</summary>
/// <param name="Caller">Who asks, on which label.</param>
/// <param name="Operation">simpleenroll, simplereenroll or serverkeygen.</param>
/// <param name="CsrDer">The PKCS#10 request as DER.</param>
/// <param name="Binding">The TLS channel binding of the connection, when one could be read.</param>
/// <param name="BindingUnavailable">Why there is none, when there is none.</param>
public sealed record EstEnrollmentRequest(EstCaller Caller, EstOperation Operation, byte[] CsrDer, ChannelBindingValue? Binding, string? BindingUnavailable);
