// CMS SignedData, DER or base64 (dsig::verify_cms), attached and with the
// detached content the real NCA seeds sign ("test123"); also the helpers
// that read a CMS without verifying it. verify_cms never throws; the helpers
// throw qujat::Error and nothing else.
#include "qujat/dsig/cms.h"
#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  const ByteView cms = fuzz::input(data, size);
  const auto& options = fuzz::nca_verify_options();
  fuzz::exercise(dsig::verify_cms(cms, std::nullopt, options));
  fuzz::exercise(dsig::verify_cms(cms, as_bytes("test123"), options));
  try {
    (void)dsig::cms_content(cms);
  } catch (const Error&) {
  }
  try {
    (void)dsig::cms_signature_value(cms, 0);
  } catch (const Error&) {
  }
  return 0;
}
