// Signed XML as `qujat verify` reads it (dsig::verify_xml): libxml2 parsing
// under the hostile-input limits, the XMLDSig structure, xmlsec with the KZ
// algorithms, the certificate in KeyInfo, the chain to the NCA test CAs and
// revocation. Must never throw; the report must explain itself.
#include "fuzz/fuzz_support.h"
#include "qujat/dsig/xmldsig.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  const auto report =
      dsig::verify_xml(as_chars(fuzz::input(data, size)), fuzz::nca_verify_options(/*require_signing_key=*/true));
  fuzz::exercise(report);
  return 0;
}
