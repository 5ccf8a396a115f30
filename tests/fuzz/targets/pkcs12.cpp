// A PKCS#12 key store (pki::load_pkcs12) opened with the right password of
// the public NCA test stores and with a wrong one: the MAC, the shrouded key
// bag with its KZ OID, the certificate bags. Refusals are qujat::Error with
// the documented codes; nothing else may escape.
#include <string>

#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"
#include "qujat/pki/pkcs12.h"
#include "support/nca_material.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  const ByteView der = fuzz::input(data, size);
  for (const char* password : {test::kNcaGost2015Password, test::kNcaRsa2004Password, "not-the-password"}) {
    try {
      const auto store = pki::load_pkcs12(der, password);
      (void)store.certificate.identity();
      (void)store.key.algorithm();
    } catch (const Error& e) {
      const std::string& code = e.code();
      if (code.rfind("pkcs12.", 0) != 0 && code.rfind("pki.", 0) != 0)
        fuzz::broken("load_pkcs12 refused with an unexpected code " + code);
    }
  }
  return 0;
}
