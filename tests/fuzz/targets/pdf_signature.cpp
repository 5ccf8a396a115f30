// A PDF handed to `qujat verify` (render::verify_pdf): PoDoFo's parser, the
// signature dictionaries, /ByteRange and /Contents, then the CMS over the
// ranged bytes. Must never throw; the report must explain itself.
#include "fuzz/fuzz_support.h"
#include "qujat/render/pdf.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  fuzz::exercise(render::verify_pdf(fuzz::input(data, size), fuzz::nca_verify_options()));
  return 0;
}
