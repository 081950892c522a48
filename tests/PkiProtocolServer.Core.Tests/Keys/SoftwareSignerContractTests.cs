using PkiProtocolServer.Contracts;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Keys.Software;

namespace PkiProtocolServer.Core.Tests.Keys;

public sealed class SoftwareSignerContractTests : SignerContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pki-softkeys-").FullName;

    public SoftwareSignerContractTests()
    {
        Custody = new SoftwareKeyCustody(new SoftwareKeyCustodyOptions { Directory = _directory, Passphrase = "contract-test-passphrase", Iterations = 1000 });
    }

    protected override IKeyCustody Custody { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
