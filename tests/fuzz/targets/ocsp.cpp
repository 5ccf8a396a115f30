// An OCSP response (--ocsp-response files, answers fetched online): the
// report parser (pki::parse_ocsp_response), then the status of NCA test
// certificates from it (responder signature, delegation, CertID, times).
// Parsing may refuse with qujat::Error; check() never throws.
#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"
#include "qujat/pki/revocation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  const ByteView der = fuzz::input(data, size);
  try {
    (void)pki::parse_ocsp_response(der);
  } catch (const Error&) {
  }
  pki::RevocationChecker checker;
  try {
    checker.add_ocsp_response_file(fuzz::scratch_file(der));
  } catch (const Error&) {
    return 0;
  }
  for (const auto& pair : fuzz::nca_pairs()) {
    const auto r = checker.check(pair.holder, pair.issuer, fuzz::check_time());
    if (r.errors.size() != r.findings.size()) fuzz::broken("revocation errors and findings do not pair up");
  }
  return 0;
}
