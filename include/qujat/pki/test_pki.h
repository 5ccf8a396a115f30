// The project's own test PKI: CAs, end-entity keys and CRLs shaped like NCA
// RK's (KZ OIDs, IIN/BIN subjects, role OIDs, NCA-style PKCS#12), made by
// qujat's own GOST code, so tests and the demo need nothing from outside.
// Never for production keys: the CA keys are thrown away after generation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "qujat/pki/certificate.h"
#include "qujat/pki/keys.h"

namespace qujat::pki {

// What goes into one certificate.
struct CertificateRequest {
  // Subject attributes in order, by short name or dotted OID: {"CN", "..."},
  // {"SN", ...}, {"serialNumber", "IIN..."}, {"C", "KZ"}, {"O", ...}, {"OU", "BIN..."}, {"GN", ...}.
  std::vector<std::pair<std::string, std::string>> subject;
  std::string serial_hex;  // empty: 20 random bytes
  Instant not_before{}, not_after{};
  bool ca = false;
  std::string key_usage;                        // OpenSSL syntax, e.g. "critical,digitalSignature,nonRepudiation"
  std::vector<std::string> extended_key_usage;  // names or dotted OIDs
  std::vector<std::string> policies;            // dotted OIDs
  std::string crl_url, ocsp_url, ca_issuers_url;
};

// Issues a certificate for `subject_key`, signed by `issuer_key` with its
// default algorithm (GOST 2015 with the KZ OIDs, or RSA-SHA256). `issuer`
// nullptr: self-signed (then `issuer_key` is the subject's own key).
Certificate issue_certificate(const CertificateRequest& request, const PublicKey& subject_key,
                              const Certificate* issuer, const PrivateKey& issuer_key);

struct CrlEntry {
  std::string serial_hex;
  Instant revoked_at{};
  int reason = 1;  // RFC 5280 CRLReason, 1 = keyCompromise
};
// A DER CRL (v2, with cRLNumber) signed by `issuer_key`; `delta_of` > 0 makes
// it a delta CRL over the full CRL with that number (critical deltaCRLIndicator).
Bytes issue_crl(const Certificate& issuer, const PrivateKey& issuer_key, Instant this_update, Instant next_update,
                const std::vector<CrlEntry>& entries, long crl_number = 1, long delta_of = 0);

// An NCA-style PKCS#12: shrouded key bag with 3DES (KZ OID in the PKCS#8),
// certificate bag with RC2-40, MAC SHA-1, 1024 iterations.
Bytes write_pkcs12(const PrivateKey& key, const Certificate& certificate, const std::vector<Certificate>& chain,
                   const std::string& password, const std::string& friendly_name = {});

// IIN/BIN check digit (mod 11 with the two weight rows): true when `id` is 12
// digits and its last digit is right.
bool has_valid_check_digit(std::string_view id);
// Appends the check digit to 11 digits; nullopt when no digit fits.
std::optional<std::string> with_check_digit(std::string_view first11);

struct TestPkiOptions {
  Instant now{};  // epoch: the current time
  int rsa_bits = 2048;
};

// One family (GOST 2015-512 or RSA): root -> issuing CA -> end entities.
struct TestPkiFamily {
  std::string dir;
  std::string root;  // root CA certificate (DER .cer)
  std::string ca;    // issuing (intermediate) CA certificate
  std::string crl;   // CRL of the issuing CA, revoking the "revoked" key
  // "individual", "individual_auth", "first_head", "employee", "end_user_head",
  // "officer", "revoked" -> PKCS#12 path
  std::map<std::string, std::string> keys;
  std::map<std::string, std::string> certificates;  // same names -> .cer path
};

struct TestPki {
  std::string dir;
  std::string trust_dir;  // both root CAs: a trust-store directory
  TestPkiFamily gost, rsa;
};

// Writes the whole test PKI under `dir` (created), every PKCS#12 with `password`.
TestPki make_test_pki(const std::string& dir, const std::string& password, const TestPkiOptions& options = {});

}  // namespace qujat::pki
