// Certification path from a signer's certificate to a trust anchor, checked
// at a given time: every signature (GOST included), validity, CA constraints.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/finding.h"
#include "qujat/pki/certificate.h"

namespace qujat::pki {

enum class TimeStatus { WithinValidity, Expired, NotYetValid };
std::string_view name(TimeStatus s);  // "within_validity", "expired", "not_yet_valid"
TimeStatus time_status(const Certificate& cert, Instant at);

// Anchors (any certificate added as an anchor is trusted, intermediates
// included) and untrusted intermediates to build paths through.
class TrustStore {
 public:
  void add_anchor(const Certificate& c);
  void add_anchors_from(const std::string& file_or_dir);
  void add_intermediate(const Certificate& c);
  // Every certificate of a file or directory, untrusted: it may complete a
  // path (NCA's issuing CA when only the root is trusted) but ends none.
  void add_intermediates_from(const std::string& file_or_dir);
  const std::vector<Certificate>& anchors() const { return anchors_; }
  const std::vector<Certificate>& intermediates() const { return intermediates_; }
  bool empty() const { return anchors_.empty(); }

 private:
  std::vector<Certificate> anchors_;
  std::vector<Certificate> intermediates_;
};

// The NCA RK production CA certificates qujat ships (certs/nca/, the default
// trust of `qujat verify`): `<prefix>/share/qujat/certs/nca` next to an
// installed `program` (`<prefix>/bin/qujat`), then /usr/share/qujat/certs/nca,
// then the source tree this build was configured from. The first folder
// that holds a certificate; nullopt when none does. Load it with
// TrustStore::add_anchors_from.
std::optional<std::filesystem::path> shipped_nca_certificates(const std::filesystem::path& program);

struct ChainResult {
  // A path to an anchor exists, every signature on it verifies and every
  // issuer is a CA allowed to sign certificates. Validity at `at` is reported
  // apart in `time` (an expired but otherwise sound path is still "trusted"),
  // as verify --json reports "chain" and "time" apart; a signature is valid
  // only when both hold.
  bool trusted = false;
  std::vector<Certificate> path;                 // leaf first, anchor last (when found)
  TimeStatus time = TimeStatus::WithinValidity;  // worst over the path at `at`
  std::vector<std::string> errors;               // in words, e.g. "issuer of CN=... not found among trust anchors"
  std::vector<Finding> findings;                 // the errors, coded for kk/ru/en wording (same order)
};

ChainResult verify_chain(const Certificate& leaf, const TrustStore& store, Instant at,
                         const std::vector<Certificate>& extra_intermediates = {});

}  // namespace qujat::pki
