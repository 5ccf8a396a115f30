// What a verification found, signature by signature: the shape of
// `qujat verify --json` (ARCHITECTURE.md), shared by XMLDSig, CMS and PDF
// verification so every caller reads one structure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "qujat/common/time.h"
#include "qujat/pki/certificate.h"
#include "qujat/pki/chain.h"
#include "qujat/pki/revocation.h"

namespace qujat::dsig {

enum class ChainStatus { Trusted, Untrusted, NotChecked };
std::string_view name(ChainStatus s);  // "trusted", "untrusted", "not_checked"

// An RFC 3161 timestamp token found on a signature (CMS unsigned attribute).
struct TimestampReport {
  // "valid", "invalid" or "unsupported algorithm" (never "valid" unless checked).
  std::string status = "unsupported algorithm";
  std::optional<Instant> gen_time;
  std::string policy;          // dotted OID
  std::string hash_algorithm;  // dotted OID of the message imprint
  std::string serial_hex;
  std::string tsa;             // subject of the TSA certificate when present
  std::vector<std::string> errors;
};

struct SignatureReport {
  bool valid = false;                // every check below passed
  bool cryptographic_valid = false;  // digests and signature value
  std::string algorithm;             // "gost2015-512", "rsa-sha256", ... ("" when unknown)
  pki::Identity signer;
  std::optional<pki::Certificate> certificate;  // the signer's certificate, when found
  std::optional<pki::TimeStatus> time;          // at VerifyOptions::at, else now
  ChainStatus chain = ChainStatus::NotChecked;
  pki::RevocationStatus revocation = pki::RevocationStatus::NotChecked;
  std::optional<Instant> signing_time;  // CMS signingTime / PDF /M when present
  std::optional<TimestampReport> timestamp;
  std::vector<std::string> errors;  // in words: which check failed and why
  std::vector<std::string> notes;   // facts that are not failures

  // valid = cryptographic_valid && time within validity && chain not
  // untrusted && not revoked && no errors. Call after filling the checks.
  void conclude();
  nlohmann::json to_json() const;
};

struct VerificationReport {
  std::string format;  // "xmldsig", "cms", "pdf", "wss"
  bool valid = false;  // at least one signature and all of them valid
  // The input could not be read as a signed document at all (unreadable,
  // unsupported, malformed or hostile): exit code 2.
  bool malformed = false;
  std::vector<SignatureReport> signatures;
  std::vector<std::string> errors;

  // valid = !malformed && errors empty && signatures non-empty && each valid.
  void conclude();
  // 0 all valid; 1 some signature invalid/untrusted/expired/revoked; 2 malformed.
  int exit_code() const;
  nlohmann::json to_json() const;
  std::string to_json_text(int indent = -1) const;
  std::string to_text() const;  // human summary, one block per signature
};

}  // namespace qujat::dsig
