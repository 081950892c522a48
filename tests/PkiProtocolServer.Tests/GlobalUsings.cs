global using System.Net;
global using System.Text.Json.Nodes;
global using PkiProtocolServer.Contracts;
global using PkiProtocolServer.Tests.Support;
global using Xunit;
