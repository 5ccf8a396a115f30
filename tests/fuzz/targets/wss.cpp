// A SOAP envelope with a WS-Security signature (dsig::wss_verify), as the
// MFA exchange receives it: BinarySecurityToken or KeyIdentifier, the
// Timestamp, references by wsu:Id. Must never throw.
#include "fuzz/fuzz_support.h"
#include "qujat/dsig/wssecurity.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  // Transport signatures are made by systems: no signing-key requirement.
  const auto report =
      dsig::wss_verify(as_chars(fuzz::input(data, size)), fuzz::nca_verify_options(/*require_signing_key=*/false));
  fuzz::exercise(report);
  return 0;
}
