// Command xcrypto-client is cert-manager's stand-in in the ACME conformance run: it drives the server
// with golang.org/x/crypto/acme, the library cert-manager's ACME issuer is built on. It registers an
// account (with External Account Binding when given an EAB key), orders a certificate for one name,
// answers http-01 from its own listener, finalizes with a P-256 CSR and writes the downloaded chain.
//
// Other modes (-mode), for pre-authorization and CAA (see preauth.go): "account" registers and prints the
// account URL; "preauth" pre-authorizes -domain with newAuthz (Client.Authorize) answering dns-01 through
// pebble-challtestsrv's management API (-mgmt); "order-preauthorized" orders -domain and gets the certificate
// without answering any challenge; "dns01" orders -domain answering dns-01 through -mgmt. -account-key keeps
// the account key in a PEM file so separate runs (separate processes) act for one account.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
)

func main() {
	directory := flag.String("directory", "", "ACME directory URL")
	caFile := flag.String("ca", "", "PEM file of the root that the server's TLS certificate chains to")
	domain := flag.String("domain", "", "DNS name to order a certificate for")
	listen := flag.String("http01", "127.0.0.1:80", "address to answer http-01 on")
	eabKID := flag.String("eab-kid", "", "External Account Binding key id")
	eabKey := flag.String("eab-hmac", "", "External Account Binding HMAC key, base64url")
	out := flag.String("out", "chain.pem", "where to write the certificate chain (leaf first)")
	mode := flag.String("mode", "http01", "http01, account, preauth, order-preauthorized or dns01")
	accountKeyFile := flag.String("account-key", "", "PEM file holding the account key (created when missing)")
	mgmt := flag.String("mgmt", "", "pebble-challtestsrv management URL, for dns-01 TXT records")
	flag.Parse()
	if *directory == "" || *caFile == "" || (*domain == "" && *mode != "account") {
		log.Fatal("-directory, -domain and -ca are required")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var err error
	if *mode == "http01" {
		err = run(ctx, *directory, *caFile, *domain, *listen, *eabKID, *eabKey, *out)
	} else {
		err = runMode(ctx, *mode, *directory, *caFile, *accountKeyFile, *domain, *mgmt, *out)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, directory, caFile, domain, listen, eabKID, eabKey, out string) error {
	rootPEM, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootPEM) {
		return errors.New("no certificate in " + caFile)
	}
	accountKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	client := &acme.Client{
		Key:          accountKey,
		DirectoryURL: directory,
		HTTPClient:   &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}},
		UserAgent:    "pkiprotocolserver-conformance",
	}

	account := &acme.Account{Contact: []string{"mailto:xcrypto@example.org"}}
	if eabKID != "" {
		hmac, err := base64.RawURLEncoding.DecodeString(eabKey)
		if err != nil {
			return fmt.Errorf("EAB HMAC key: %w", err)
		}
		account.ExternalAccountBinding = &acme.ExternalAccountBinding{KID: eabKID, Key: hmac}
	}
	if _, err := client.Register(ctx, account, acme.AcceptTOS); err != nil {
		return fmt.Errorf("register: %w", err)
	}

	order, err := client.AuthorizeOrder(ctx, acme.DomainIDs(domain))
	if err != nil {
		return fmt.Errorf("new order: %w", err)
	}

	responses := &sync.Map{}
	server := &http.Server{Addr: listen, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if body, ok := responses.Load(r.URL.Path); ok {
			fmt.Fprint(w, body)
			return
		}
		http.NotFound(w, r)
	})}
	go server.ListenAndServe()
	defer server.Close()

	for _, url := range order.AuthzURLs {
		authorization, err := client.GetAuthorization(ctx, url)
		if err != nil {
			return fmt.Errorf("authorization: %w", err)
		}
		if authorization.Status == acme.StatusValid {
			continue
		}
		var challenge *acme.Challenge
		for _, c := range authorization.Challenges {
			if c.Type == "http-01" {
				challenge = c
			}
		}
		if challenge == nil {
			return errors.New("no http-01 challenge offered for " + authorization.Identifier.Value)
		}
		response, err := client.HTTP01ChallengeResponse(challenge.Token)
		if err != nil {
			return err
		}
		responses.Store(client.HTTP01ChallengePath(challenge.Token), response)
		if _, err := client.Accept(ctx, challenge); err != nil {
			return fmt.Errorf("accept: %w", err)
		}
		if _, err := client.WaitAuthorization(ctx, url); err != nil {
			return fmt.Errorf("wait authorization: %w", err)
		}
	}

	if order, err = client.WaitOrder(ctx, order.URI); err != nil {
		return fmt.Errorf("wait order: %w", err)
	}
	return finalize(ctx, client, order, domain, out)
}
