package main

// The pre-authorization and CAA modes of the conformance client: one account (its key in a file) used by
// separate runs, dns-01 records set through pebble-challtestsrv's management API.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/acme"
)

func runMode(ctx context.Context, mode, directory, caFile, keyFile, domain, mgmt, out string) error {
	client, err := accountClient(ctx, directory, caFile, keyFile)
	if err != nil {
		return err
	}
	switch mode {
	case "account":
		fmt.Println(client.KID)
		return nil
	case "preauth":
		// RFC 8555 7.4.1: newAuthz for one name, proven with dns-01 by the system that holds the DNS credentials.
		authorization, err := client.Authorize(ctx, domain)
		if err != nil {
			return fmt.Errorf("newAuthz: %w", err)
		}
		if err := proveDNS01(ctx, client, mgmt, authorization); err != nil {
			return err
		}
		fmt.Printf("pre-authorized %s: %s\n", domain, authorization.URI)
		return nil
	case "order-preauthorized":
		order, err := client.AuthorizeOrder(ctx, acme.DomainIDs(domain))
		if err != nil {
			return fmt.Errorf("new order: %w", err)
		}
		if order.Status != acme.StatusReady {
			return fmt.Errorf("the order is %s, not ready: the pre-authorization was not reused", order.Status)
		}
		return finalize(ctx, client, order, domain, out)
	case "dns01":
		order, err := client.AuthorizeOrder(ctx, acme.DomainIDs(domain))
		if err != nil {
			return fmt.Errorf("new order: %w", err)
		}
		for _, url := range order.AuthzURLs {
			authorization, err := client.GetAuthorization(ctx, url)
			if err != nil {
				return fmt.Errorf("authorization: %w", err)
			}
			if err := proveDNS01(ctx, client, mgmt, authorization); err != nil {
				return err
			}
		}
		if order, err = client.WaitOrder(ctx, order.URI); err != nil {
			return fmt.Errorf("wait order: %w", err)
		}
		return finalize(ctx, client, order, domain, out)
	}
	return errors.New("unknown -mode " + mode)
}

// accountClient is a client whose account key comes from keyFile (created on first use), registered or found.
func accountClient(ctx context.Context, directory, caFile, keyFile string) (*acme.Client, error) {
	rootPEM, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootPEM) {
		return nil, errors.New("no certificate in " + caFile)
	}
	key, err := loadOrCreateKey(keyFile)
	if err != nil {
		return nil, err
	}
	client := &acme.Client{
		Key:          key,
		DirectoryURL: directory,
		HTTPClient:   &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}},
		UserAgent:    "pkiprotocolserver-conformance",
	}
	// Register sets the account URL (KID) also when the key already has an account.
	if _, err := client.Register(ctx, &acme.Account{Contact: []string{"mailto:xcrypto@example.org"}}, acme.AcceptTOS); err != nil && !errors.Is(err, acme.ErrAccountAlreadyExists) {
		return nil, fmt.Errorf("register: %w", err)
	}
	return client, nil
}

func loadOrCreateKey(path string) (*ecdsa.PrivateKey, error) {
	if path != "" {
		if data, err := os.ReadFile(path); err == nil {
			block, _ := pem.Decode(data)
			if block == nil {
				return nil, errors.New("no PEM key in " + path)
			}
			return x509.ParseECPrivateKey(block.Bytes)
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil || path == "" {
		return key, err
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return key, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
}

// proveDNS01 publishes the dns-01 record through the test DNS server's management API, answers the challenge
// and waits for the authorization; an invalid one comes back as an error naming the challenge's problem.
func proveDNS01(ctx context.Context, client *acme.Client, mgmt string, authorization *acme.Authorization) error {
	if authorization.Status == acme.StatusValid {
		return nil
	}
	var challenge *acme.Challenge
	for _, c := range authorization.Challenges {
		if c.Type == "dns-01" {
			challenge = c
		}
	}
	if challenge == nil {
		return errors.New("no dns-01 challenge offered for " + authorization.Identifier.Value)
	}
	record, err := client.DNS01ChallengeRecord(challenge.Token)
	if err != nil {
		return err
	}
	host := "_acme-challenge." + strings.TrimPrefix(authorization.Identifier.Value, "*.") + "."
	body, _ := json.Marshal(map[string]string{"host": host, "value": record})
	response, err := http.Post(mgmt+"/set-txt", "application/json", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("set-txt: %w", err)
	}
	response.Body.Close()
	if _, err := client.Accept(ctx, challenge); err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	if _, err := client.WaitAuthorization(ctx, authorization.URI); err != nil {
		return fmt.Errorf("wait authorization: %w", err)
	}
	return nil
}

// finalize sends a P-256 CSR for the name and writes the chain to out.
func finalize(ctx context.Context, client *acme.Client, order *acme.Order, domain, out string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{DNSNames: []string{domain}}, key)
	if err != nil {
		return err
	}
	chain, certificateURL, err := client.CreateOrderCert(ctx, order.FinalizeURL, csr, true)
	if err != nil {
		return fmt.Errorf("finalize: %w", err)
	}
	var pemChain strings.Builder
	for _, der := range chain {
		pem.Encode(&pemChain, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	if err := os.WriteFile(out, []byte(pemChain.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("certificate %s: %d certificates written to %s\n", certificateURL, len(chain), out)
	return nil
}
