using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>A validation attempt failed for a reason the client can act on; becomes the challenge's <c>error</c> (RFC 8555 8.2).</summary>
public sealed class ChallengeFailedException : Exception
{
    public ChallengeFailedException(AcmeErrorType type, string detail, Exception? inner = null)
        : base(detail, inner)
    {
        Type = type;
    }

    public AcmeErrorType Type { get; }

    public AcmeProblem ToProblem(AcmeIdentifier identifier) => AcmeProblemTable.Problem(Type, Message, identifier);
}
