// What a verifier trusts and checks against: trust anchors, revocation
// sources, the time of the check, and the limits for untrusted input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "qujat/common/time.h"
#include "qujat/pki/chain.h"
#include "qujat/pki/revocation.h"
#include "qujat/xml/document.h"

namespace qujat::dsig {

struct VerifyOptions {
  pki::TrustStore trust;  // empty: chain "not_checked"
  // With no anchors a signature is not valid: a self-made certificate can
  // carry any name and IIN. Off only where the cryptography alone is the
  // question (benchmarks of the primitive, tests of the XML machinery).
  bool require_trusted_chain = true;
  // A document signature made with an NCA AUTH key (clientAuth only) is not
  // valid. WS-Security transport signatures, made by systems, turn this off.
  bool require_signing_key = true;
  // Revocation sources: either a checker owned by the caller (reused across
  // calls by a service) or files read for this call.
  const pki::RevocationChecker* revocation = nullptr;
  std::vector<std::string> crl_files;
  std::vector<std::string> ocsp_response_files;
  bool online = false;            // allow CRL/OCSP fetch by URL
  std::optional<Instant> at;      // time of the check; now when absent
  xml::ParseLimits xml_limits;    // size/depth of XML input
  std::size_t max_signatures = 16;
  std::size_t max_references = 16;  // per signature
  // Over all signatures: each URI="" reference canonicalises the whole
  // document again, so this bounds the work a large file can demand.
  std::size_t max_total_references = 32;
  // Applications: every signature must cover the whole document element
  // (URI="" or "#id" of the document element), so signature wrapping fails.
  bool require_whole_document = true;

  Instant effective_time() const { return at ? *at : now_utc(); }
};

}  // namespace qujat::dsig
