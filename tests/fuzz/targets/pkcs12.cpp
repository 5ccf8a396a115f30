// A PKCS#12 key store (pki::load_pkcs12) opened with the right password of
// the public NCA test stores and with a wrong one: the MAC, the shrouded key
// bag with its KZ OID, the certificate bags. Each input is also tried with a
// fresh MAC for the password tried, or mutations would never get past the MAC
// check to the bags. Refusals are qujat::Error with the documented codes;
// nothing else may escape.
#include <openssl/evp.h>
#include <openssl/pkcs12.h>

#include <optional>
#include <string>

#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "qujat/pki/pkcs12.h"
#include "support/nca_material.h"

namespace {

using namespace qujat;

// `der` re-MACed with `password` (one iteration, SHA-1); nullopt when it is
// not PKCS#12 at all or has no MAC.
std::optional<Bytes> with_fresh_mac(ByteView der, const std::string& password) {
  const unsigned char* p = der.data();
  auto p12 = make_unique_ptr<PKCS12_free>(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
  std::optional<Bytes> out;
  if (p12 && PKCS12_mac_present(p12.get()) == 1 &&
      PKCS12_set_mac(p12.get(), password.c_str(), static_cast<int>(password.size()), nullptr, 0, 1, EVP_sha1()) == 1) {
    unsigned char* buffer = nullptr;
    const int n = i2d_PKCS12(p12.get(), &buffer);
    if (n > 0) out = Bytes(buffer, buffer + n);
    OPENSSL_free(buffer);
  }
  clear_openssl_errors();
  return out;
}

void open(ByteView der, const std::string& password) {
  try {
    const auto store = pki::load_pkcs12(der, password);
    (void)store.certificate.identity();
    (void)store.key.algorithm();
    (void)store.key.public_key();
  } catch (const Error& e) {
    const std::string& code = e.code();
    if (code.rfind("pkcs12.", 0) != 0 && code.rfind("pki.", 0) != 0)
      fuzz::broken("load_pkcs12 refused with an unexpected code " + code);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView der = fuzz::input(data, size);
  for (const std::string password : {test::kNcaGost2015Password, test::kNcaRsa2004Password, "not-the-password"}) {
    open(der, password);
    if (const auto remaced = with_fresh_mac(der, password)) open(*remaced, password);
  }
  return 0;
}
