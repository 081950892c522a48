# One image for every node. Build: docker build -t pki-protocol-server .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/PkiProtocolServer -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# libdl.so.2 is what Pkcs11Interop loads; the PKCS#11 module itself comes from the HSM vendor
# (mount it and set Pki__Keys__Pkcs11__ModulePath), or install softhsm2 for a test token.
WORKDIR /app
COPY --from=build /app .
ENV Pki__DataDirectory=/var/lib/pki \
    Pki__HttpsPort=8443 \
    Pki__HttpPort=8080
VOLUME /var/lib/pki
EXPOSE 8443 8080
ENTRYPOINT ["dotnet", "PkiProtocolServer.dll"]
