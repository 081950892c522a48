using PkiProtocolServer.Contracts;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11.Tests;

[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11SignerContractTests(SoftHsmToken token) : SignerContract
{
    protected override IKeyCustody Custody { get; } = token.Custody;
}
