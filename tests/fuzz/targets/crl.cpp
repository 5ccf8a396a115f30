// A CRL (DER or PEM, full or delta) as --crl files and fetched CRLs are
// read: parsing, then the status of NCA test certificates against it (issuer
// match, signature check, entry lookup, reasons, staleness). Loading may
// refuse with qujat::Error; check() never throws.
#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"
#include "qujat/pki/revocation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  pki::RevocationChecker checker;
  try {
    checker.add_crl_file(fuzz::scratch_file(fuzz::input(data, size)));
  } catch (const Error&) {
    return 0;
  }
  for (const auto& pair : fuzz::nca_pairs()) {
    const auto r = checker.check(pair.holder, pair.issuer, fuzz::check_time());
    if (r.errors.size() != r.findings.size()) fuzz::broken("revocation errors and findings do not pair up");
  }
  return 0;
}
