global using System.Net;
global using System.Text.Json.Nodes;
global using PkiProtocolServer.Acme.Tests.Support;
global using PkiProtocolServer.Contracts;
global using Xunit;
