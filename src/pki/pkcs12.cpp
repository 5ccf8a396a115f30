#include "qujat/pki/pkcs12.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>

#include "pki/key_impl.h"
#include "pki/openssl_memory.h"
#include "qujat/common/error.h"
#include "qujat/pki/digest.h"

namespace qujat::pki {
namespace {

using Bags = STACK_OF(PKCS12_SAFEBAG);

// What any key store uses is thousands (NCA 1024, OpenSSL 2048, Java 10000);
// a count a hostile file sets is paid in hashing before a wrong password
// shows (2^31 is minutes).
constexpr long kMaxIterations = 1'000'000;

// The iteration count a password-based encryption asks for (PKCS#12 PBE, or
// PBES2 with PBKDF2); 0 when its parameters cannot be read (decryption then
// fails on its own), negative when the count does not fit a long.
long pbe_iterations(const X509_ALGOR* alg) {
  const ASN1_OBJECT* oid = nullptr;
  int type = 0;
  const void* value = nullptr;
  X509_ALGOR_get0(&oid, &type, &value, alg);
  if (type != V_ASN1_SEQUENCE || value == nullptr) return 0;
  const auto* params = static_cast<const ASN1_STRING*>(value);
  long n = 0;
  if (OBJ_obj2nid(oid) == NID_pbes2) {
    auto pbe2 =
        make_unique_ptr<PBE2PARAM_free>(static_cast<PBE2PARAM*>(ASN1_item_unpack(params, ASN1_ITEM_rptr(PBE2PARAM))));
    if (pbe2 && OBJ_obj2nid(pbe2->keyfunc->algorithm) == NID_id_pbkdf2 && pbe2->keyfunc->parameter != nullptr &&
        pbe2->keyfunc->parameter->type == V_ASN1_SEQUENCE) {
      auto kdf = make_unique_ptr<PBKDF2PARAM_free>(static_cast<PBKDF2PARAM*>(
          ASN1_item_unpack(pbe2->keyfunc->parameter->value.sequence, ASN1_ITEM_rptr(PBKDF2PARAM))));
      if (kdf) n = ASN1_INTEGER_get(kdf->iter);
    }
  } else if (auto pbe = make_unique_ptr<PBEPARAM_free>(
                 static_cast<PBEPARAM*>(ASN1_item_unpack(params, ASN1_ITEM_rptr(PBEPARAM))))) {
    n = ASN1_INTEGER_get(pbe->iter);
  }
  clear_openssl_errors();
  return n;
}

void refuse_costly(long iterations, const char* what) {
  if (iterations >= 0 && iterations <= kMaxIterations) return;
  clear_openssl_errors();
  const std::string asked = iterations < 0 ? "an unusable number of" : std::to_string(iterations);
  throw Error("pkcs12.too_costly", std::string("the key store's ") + what + " asks for " + asked +
                                       " iterations (more than " + std::to_string(kMaxIterations) + " are refused)");
}

Bytes local_key_id(const PKCS12_SAFEBAG* bag) {
  const ASN1_TYPE* attr = PKCS12_SAFEBAG_get0_attr(bag, NID_localKeyID);
  if (attr == nullptr || attr->type != V_ASN1_OCTET_STRING) return {};
  const auto* s = attr->value.octet_string;
  return Bytes(ASN1_STRING_get0_data(s), ASN1_STRING_get0_data(s) + ASN1_STRING_length(s));
}

struct Collected {
  std::vector<std::pair<Bytes, PrivateKey>> keys;
  std::vector<std::pair<Bytes, Certificate>> certs;
};

void collect(const Bags* bags, const std::string& password, Collected& out) {
  for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); ++i) {
    const PKCS12_SAFEBAG* bag = sk_PKCS12_SAFEBAG_value(bags, i);
    switch (PKCS12_SAFEBAG_get_nid(bag)) {
      case NID_pkcs8ShroudedKeyBag: {
        const X509_ALGOR* alg = nullptr;
        X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, nullptr);
        if (alg != nullptr) refuse_costly(pbe_iterations(alg), "private key encryption");
        auto p8 = make_unique_ptr<PKCS8_PRIV_KEY_INFO_free>(
            PKCS12_decrypt_skey_ex(bag, password.data(), static_cast<int>(password.size()), nullptr, nullptr));
        if (!p8) throw OpenSslError("pkcs12.bad_key", "cannot decrypt the private key bag");
        out.keys.emplace_back(local_key_id(bag), private_key_from_pkcs8(p8.get()));
        break;
      }
      case NID_keyBag:
        out.keys.emplace_back(local_key_id(bag), private_key_from_pkcs8(PKCS12_SAFEBAG_get0_p8inf(bag)));
        break;
      case NID_certBag: {
        if (PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate) break;
        auto x509 = make_unique_ptr<X509_free>(PKCS12_SAFEBAG_get1_cert(bag));
        // i2d_X509 gives the cached original encoding.
        const Bytes bytes = x509 ? i2d_bytes([&](unsigned char** b) { return i2d_X509(x509.get(), b); }) : Bytes{};
        if (bytes.empty()) throw OpenSslError("pkcs12.bad_contents", "malformed certificate bag");
        out.certs.emplace_back(local_key_id(bag), Certificate::from_der(bytes));
        break;
      }
      case NID_safeContentsBag:
        collect(PKCS12_SAFEBAG_get0_safes(bag), password, out);
        break;
      default:
        break;
    }
  }
}

}  // namespace

KeyStore load_pkcs12(const std::string& path, const std::string& password) {
  const Bytes data = read_file(path);
  try {
    return load_pkcs12(ByteView(data), password);
  } catch (const Error& e) {
    throw Error(e.code(), e.what() + (" (" + path + ")"), e.causes());
  }
}

KeyStore load_pkcs12(ByteView der, const std::string& password) {
  ensure_providers();  // RC2-40 certificate bags need the legacy provider
  const unsigned char* p = der.data();
  auto p12 = make_unique_ptr<PKCS12_free>(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
  if (!p12) {
    clear_openssl_errors();
    throw Error("pkcs12.not_pkcs12", "not a PKCS#12 key store");
  }
  // The MAC is computed before any password can be found wrong.
  const ASN1_INTEGER* mac_iterations = nullptr;
  PKCS12_get0_mac(nullptr, nullptr, nullptr, &mac_iterations, p12.get());
  if (mac_iterations != nullptr) {
    const long n = ASN1_INTEGER_get(mac_iterations);
    refuse_costly(n == 0 ? -1 : n, "MAC");
  }
  if (PKCS12_mac_present(p12.get()) == 1 &&
      PKCS12_verify_mac(p12.get(), password.data(), static_cast<int>(password.size())) != 1) {
    clear_openssl_errors();
    throw Error("pkcs12.wrong_password", "wrong password for the key store");
  }
  UniquePtr<STACK_OF(PKCS7), free_pkcs7s> safes(PKCS12_unpack_authsafes(p12.get()));
  if (!safes) throw OpenSslError("pkcs12.not_pkcs12", "malformed PKCS#12 contents");

  Collected found;
  for (int i = 0; i < sk_PKCS7_num(safes.get()); ++i) {
    PKCS7* safe = sk_PKCS7_value(safes.get(), i);
    UniquePtr<Bags, free_safebags> bags;
    const int nid = OBJ_obj2nid(safe->type);
    if (nid == NID_pkcs7_data) {
      bags.reset(PKCS12_unpack_p7data(safe));
    } else if (nid == NID_pkcs7_encrypted) {
      // Without a MAC (it is optional) nothing vouches for these parameters.
      if (safe->d.encrypted != nullptr && safe->d.encrypted->enc_data != nullptr)
        refuse_costly(pbe_iterations(safe->d.encrypted->enc_data->algorithm), "certificate encryption");
      bags.reset(PKCS12_unpack_p7encdata(safe, password.data(), static_cast<int>(password.size())));
    } else {
      continue;
    }
    if (!bags) throw OpenSslError("pkcs12.bad_contents", "cannot open a part of the key store");
    collect(bags.get(), password, found);
  }
  if (found.keys.empty()) throw Error("pkcs12.no_key", "the key store holds no private key");

  // The key's certificate: same localKeyID, else the one whose public key matches.
  auto& [key_id, key] = found.keys.front();
  const PublicKey pub = key.public_key();
  std::optional<std::size_t> match;
  for (std::size_t i = 0; i < found.certs.size() && !match; ++i)
    if (!key_id.empty() && found.certs[i].first == key_id) match = i;
  for (std::size_t i = 0; i < found.certs.size() && !match; ++i)
    if (found.certs[i].second.public_key().same_as(pub)) match = i;
  if (!match) throw Error("pkcs12.no_certificate", "the key store holds no certificate for its key");

  KeyStore store{std::move(key), found.certs[*match].second, {}};
  for (std::size_t i = 0; i < found.certs.size(); ++i)
    if (i != *match) store.chain.push_back(found.certs[i].second);
  return store;
}

}  // namespace qujat::pki
