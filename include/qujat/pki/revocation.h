// Revocation status from CRLs (full and delta) and OCSP (response files, or
// requests over HTTP when online access is allowed). Signatures of CRLs and
// OCSP responses are verified against the issuer.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/finding.h"
#include "qujat/pki/certificate.h"

namespace qujat::pki {

enum class RevocationStatus { Good, Revoked, Unknown, NotChecked };
std::string_view name(RevocationStatus s);  // "good", "revoked", "unknown", "not_checked"

struct RevocationResult {
  RevocationStatus status = RevocationStatus::NotChecked;
  std::optional<Instant> revoked_at;
  std::string reason;               // CRL reason ("keyCompromise", ...) when revoked
  std::string source;               // "crl:<file or url>", "ocsp:<file or url>"
  std::vector<std::string> errors;  // why a source could not be used
  std::vector<Finding> findings;    // the errors, coded for kk/ru/en wording (same order)
};

// Parsed OCSP response, for reporting (qujat verify --ocsp-response, tests).
struct OcspResponseInfo {
  std::string response_status;  // "successful", ...
  std::string cert_status;      // "good", "revoked", "unknown"
  std::string serial_hex;
  std::optional<Instant> this_update, next_update, revoked_at, produced_at;
  std::string revocation_reason;
};
OcspResponseInfo parse_ocsp_response(ByteView der);

struct RevocationOptions {
  bool online = false;  // fetch CRLs/OCSP by URL (never in tests)
  std::chrono::seconds http_timeout{10};
  // How far `at` may lie after the thisUpdate of an OCSP answer without a
  // nextUpdate (NCA's have none) for its "good" to still count: clock skew
  // between us and the responder, nothing more.
  std::chrono::seconds ocsp_clock_skew{300};
};

class RevocationChecker {
 public:
  explicit RevocationChecker(RevocationOptions options = {});
  ~RevocationChecker();
  RevocationChecker(RevocationChecker&&) noexcept;
  RevocationChecker& operator=(RevocationChecker&&) noexcept;

  void add_crl_file(const std::string& path);  // DER or PEM, full or delta
  void add_ocsp_response_file(const std::string& path);

  // Status of `cert` (issued by `issuer`) at `at`. Sources: OCSP responses for
  // this serial, then CRLs of this issuer, then (online) the certificate's URLs.
  RevocationResult check(const Certificate& cert, const Certificate& issuer, Instant at) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qujat::pki
