using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Est.Configuration;
using PkiProtocolServer.Est.Labels;

namespace PkiProtocolServer.Est.Tests.Support;

public static class TestLabels
{
    public static EstLabel With(EstAuthenticationMode mode = EstAuthenticationMode.PasswordOrCertificate, string name = "factory", params X509Certificate2[] anchors) =>
        new(name, new EstLabelOptions { Authentication = mode }, "devices", [.. anchors], []);
}
