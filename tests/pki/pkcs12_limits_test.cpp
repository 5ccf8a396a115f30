// A key store is read before its password is known to be right: the MAC
// iteration count it asks for must not let a 2 KB file hash for minutes.
#include <gtest/gtest.h>
#include <openssl/pkcs12.h>

#include <climits>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/test_pki.h"
#include "support/paths.h"
#include "support/self_signed.h"

using namespace qujat;

namespace {

// `store` with its MAC iteration count replaced (the MAC itself left as it
// was: the cost is paid before the comparison).
Bytes with_mac_iterations(const Bytes& store, long iterations) {
  const unsigned char* p = store.data();
  auto p12 = make_unique_ptr<PKCS12_free>(d2i_PKCS12(nullptr, &p, static_cast<long>(store.size())));
  const ASN1_INTEGER* iter = nullptr;
  PKCS12_get0_mac(nullptr, nullptr, nullptr, &iter, p12.get());
  EXPECT_NE(iter, nullptr);
  ASN1_INTEGER_set(const_cast<ASN1_INTEGER*>(iter), iterations);
  unsigned char* der = nullptr;
  const int n = i2d_PKCS12(p12.get(), &der);
  Bytes out(der, der + n);
  OPENSSL_free(der);
  return out;
}

std::string code_of_loading(const Bytes& store, const std::string& password) {
  try {
    (void)pki::load_pkcs12(store, password);
  } catch (const Error& e) {
    return e.code();
  }
  return "loaded";
}

}  // namespace

TEST(Pkcs12Limits, AMacIterationCountNoKeyStoreUsesIsRefusedBeforeHashing) {
  const auto signer = test::self_signed_signer(pki::KeyAlgorithm::Rsa, "P12 LIMITS");
  const Bytes store = pki::write_pkcs12(signer.key, signer.certificate, {}, "Limits123");
  EXPECT_EQ(code_of_loading(store, "Limits123"), "loaded");
  EXPECT_EQ(code_of_loading(with_mac_iterations(store, INT_MAX), "Limits123"), "pkcs12.too_costly");
  EXPECT_EQ(code_of_loading(with_mac_iterations(store, INT_MAX), "any other"), "pkcs12.too_costly");
  EXPECT_EQ(code_of_loading(with_mac_iterations(store, 0), "Limits123"), "pkcs12.too_costly");
  // Counts real key stores use still open (the MAC no longer matches them).
  EXPECT_EQ(code_of_loading(with_mac_iterations(store, 100000), "Limits123"), "pkcs12.wrong_password");
}

// The MAC is optional: without one, nothing vouches for the iteration counts
// of the encrypted bags, which are paid before a wrong password shows. The
// stores are the NCA GOST test store without its MAC and with one count set
// to 2^31 (tests/fuzz/regressions/pkcs12/).
TEST(Pkcs12Limits, AnEncryptedBagAskingForMoreIterationsThanAnyStoreUsesIsRefused) {
  const auto dir = test::source_root() / "tests" / "fuzz" / "regressions" / "pkcs12";
  for (const char* file :
       {"no-mac-key-bag-iterations-2147483647.p12", "no-mac-certificate-bag-iterations-2147483647.p12"}) {
    const Bytes store = read_file((dir / file).string());
    EXPECT_EQ(code_of_loading(store, "Aa123456"), "pkcs12.too_costly") << file;
    // A wrong password may be found out first, on the key bag (1024 iterations).
    const std::string wrong = code_of_loading(store, "any other");
    EXPECT_TRUE(wrong == "pkcs12.too_costly" || wrong == "pkcs12.bad_key") << file << ": " << wrong;
  }
}
