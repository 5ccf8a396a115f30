#include "qujat/pki/keys.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstring>

#include "pki/der.h"
#include "pki/key_impl.h"
#include "pki/openssl_memory.h"
#include "qujat/common/error.h"
#include "qujat/pki/digest.h"

namespace qujat::pki {
namespace {

std::string oid_string(const ASN1_OBJECT* obj) {
  char buf[128];
  OBJ_obj2txt(buf, sizeof buf, obj, 1);
  return buf;
}

bool key_fits(KeyAlgorithm key, SignatureAlgorithm sig) {
  switch (sig) {
    case SignatureAlgorithm::Gost2015_512:
      return key == KeyAlgorithm::Gost2015_512;
    case SignatureAlgorithm::Gost2015_256:
      return key == KeyAlgorithm::Gost2015_256;
    case SignatureAlgorithm::Gost2004:
      return key == KeyAlgorithm::Gost2004;
    case SignatureAlgorithm::RsaSha256:
    case SignatureAlgorithm::RsaSha1:
      return key == KeyAlgorithm::Rsa;
  }
  return false;
}

const EVP_MD* rsa_md(SignatureAlgorithm a) { return a == SignatureAlgorithm::RsaSha1 ? EVP_sha1() : EVP_sha256(); }

std::size_t digest_size(SignatureAlgorithm a) {
  switch (digest_of(a)) {
    case DigestAlgorithm::Streebog512:
      return 64;
    case DigestAlgorithm::Sha1:
      return 20;
    default:
      return 32;
  }
}

void check_fit(KeyAlgorithm key, SignatureAlgorithm sig) {
  if (!key_fits(key, sig))
    throw Error("pki.key_mismatch",
                "a " + std::string(name(key)) + " key cannot make or check " + std::string(name(sig)) + " signatures");
}

}  // namespace

std::optional<GostKeyOids> gost_key_oids(KeyAlgorithm a) {
  switch (a) {
    case KeyAlgorithm::Gost2015_512:
      return GostKeyOids{"1.2.398.3.10.1.1.2.2", "1.2.398.3.10.1.1.2.2.1", "1.2.398.3.10.1.3.3"};
    case KeyAlgorithm::Gost2015_256:
      return GostKeyOids{"1.2.398.3.10.1.1.2.1", "1.2.398.3.10.1.1.2.1.1", "1.2.398.3.10.1.3.2"};
    case KeyAlgorithm::Gost2004:
      return GostKeyOids{"1.2.398.3.10.1.1.1.1", "1.2.398.3.10.1.1.1.1.1", "1.2.398.3.10.1.3.1"};
    default:
      return std::nullopt;
  }
}

std::optional<KeyAlgorithm> key_algorithm_from_oid(std::string_view oid) {
  if (oid == "1.2.398.3.10.1.1.2.2") return KeyAlgorithm::Gost2015_512;
  if (oid == "1.2.398.3.10.1.1.2.1") return KeyAlgorithm::Gost2015_256;
  if (oid == "1.2.398.3.10.1.1.1.1") return KeyAlgorithm::Gost2004;
  if (oid == "1.2.840.113549.1.1.1") return KeyAlgorithm::Rsa;
  return std::nullopt;
}

const gost::Curve& curve_of(KeyAlgorithm a) {
  switch (a) {
    case KeyAlgorithm::Gost2015_512:
      return gost::Curve::get(gost::CurveId::Tc26_512_A);
    case KeyAlgorithm::Gost2015_256:
      return gost::Curve::get(gost::CurveId::Tc26_256_A);
    case KeyAlgorithm::Gost2004:
      return gost::Curve::get(gost::CurveId::CryptoPro_A);
    default:
      break;
  }
  throw Error("pki.unsupported_algorithm", "not a GOST key algorithm: " + std::string(name(a)));
}

Bytes gost_spki(KeyAlgorithm a, const gost::Curve& curve, const EC_POINT* q) {
  const auto oids = gost_key_oids(a);
  if (!oids) throw Error("pki.unsupported_algorithm", "not a GOST key");
  const Bytes params = der::sequence(der::concat({der::oid(oids->params), der::oid(oids->digest)}));
  const Bytes alg = der::sequence(der::concat({der::oid(oids->key), params}));
  const Bytes key = der::octet_string(curve.point_to_le(q));
  return der::sequence(der::concat({alg, der::bit_string(key)}));
}

PublicKey make_public_key(std::unique_ptr<PublicKey::Impl> impl) {
  return PublicKey(std::shared_ptr<const PublicKey::Impl>(std::move(impl)));
}

// ---- PublicKey ----

PublicKey::PublicKey() : impl_(std::make_shared<Impl>()) {}
PublicKey::PublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
PublicKey::~PublicKey() = default;
PublicKey::PublicKey(const PublicKey&) = default;
PublicKey& PublicKey::operator=(const PublicKey&) = default;
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;

PublicKey PublicKey::from_spki_der(ByteView spki) {
  const unsigned char* p = spki.data();
  auto pub = make_unique_ptr<X509_PUBKEY_free>(d2i_X509_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  if (!pub) throw OpenSslError("pki.public_key", "malformed SubjectPublicKeyInfo");
  ASN1_OBJECT* alg = nullptr;
  const unsigned char* bits = nullptr;
  int bits_len = 0;
  X509_PUBKEY_get0_param(&alg, &bits, &bits_len, nullptr, pub.get());
  const std::string oid = oid_string(alg);
  const auto kind = key_algorithm_from_oid(oid);
  if (!kind) throw Error("pki.unsupported_algorithm", "unsupported public key algorithm " + oid);

  auto impl = std::make_unique<Impl>();
  impl->algorithm = *kind;
  impl->spki.assign(spki.begin(), spki.end());
  if (*kind == KeyAlgorithm::Rsa) {
    const unsigned char* q = spki.data();
    impl->rsa.reset(d2i_PUBKEY(nullptr, &q, static_cast<long>(spki.size())));
    if (!impl->rsa) throw OpenSslError("pki.public_key", "malformed RSA public key");
    return make_public_key(std::move(impl));
  }
  // KZ GOST: the BIT STRING holds an OCTET STRING of X||Y little-endian.
  ByteView in(bits, static_cast<std::size_t>(bits_len));
  auto octets = der::read(in);
  if (!octets || octets->tag != 0x04) throw Error("pki.public_key", "GOST public key is not an OCTET STRING");
  impl->curve = &curve_of(*kind);
  impl->point = impl->curve->point_from_le(octets->content);
  if (!impl->point) throw Error("pki.public_key", "GOST public key is not a point of its curve");
  return make_public_key(std::move(impl));
}

KeyAlgorithm PublicKey::algorithm() const { return impl_->algorithm; }

int PublicKey::bits() const {
  switch (impl_->algorithm) {
    case KeyAlgorithm::Gost2015_512:
      return 512;
    case KeyAlgorithm::Gost2015_256:
    case KeyAlgorithm::Gost2004:
      return 256;
    case KeyAlgorithm::Rsa:
      return EVP_PKEY_get_bits(impl_->rsa.get());
    case KeyAlgorithm::Unknown:
      break;
  }
  return 0;
}

Bytes PublicKey::spki_der() const { return impl_->spki; }

Bytes PublicKey::raw() const {
  if (impl_->point) return impl_->curve->point_to_le(impl_->point.get());
  if (impl_->rsa) {
    Bytes out = i2d_bytes([&](unsigned char** b) { return i2d_PublicKey(impl_->rsa.get(), b); });
    if (out.empty()) throw OpenSslError("pki.public_key", "cannot encode the RSA key");
    return out;
  }
  return {};
}

bool PublicKey::same_as(const PublicKey& other) const {
  return impl_->algorithm == other.impl_->algorithm && raw() == other.raw();
}

bool PublicKey::verify(SignatureAlgorithm algorithm, ByteView data, ByteView signature) const {
  check_fit(impl_->algorithm, algorithm);
  return verify_digest(algorithm, digest(digest_of(algorithm), data), signature);
}

bool PublicKey::verify_digest(SignatureAlgorithm algorithm, ByteView dgst, ByteView signature) const {
  check_fit(impl_->algorithm, algorithm);
  if (impl_->point) {
    const auto& curve = *impl_->curve;
    gost::BignumPtr r, s;
    if (!gost::decode_signature(curve, signature, r, s)) return false;
    const auto e = curve.e_from_digest(dgst);
    return curve.verify(impl_->point.get(), e.get(), r.get(), s.get());
  }
  if (dgst.size() != digest_size(algorithm))
    throw Error("pki.digest_length", "the digest has the wrong length for " + std::string(name(algorithm)));
  auto ctx = make_unique_ptr<EVP_PKEY_CTX_free>(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->rsa.get(), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), rsa_md(algorithm)) != 1)
    throw OpenSslError("pki.verify", "cannot set up RSA verification");
  const int rc = EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), dgst.data(), dgst.size());
  clear_openssl_errors();
  return rc == 1;
}

// ---- PrivateKey ----

PrivateKey::PrivateKey() : impl_(std::make_unique<Impl>()) {}
PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;

KeyAlgorithm PrivateKey::algorithm() const { return impl_->algorithm; }
SignatureAlgorithm PrivateKey::default_signature() const { return pki::default_signature(impl_->algorithm); }

Bytes PrivateKey::sign(SignatureAlgorithm algorithm, ByteView data) const {
  check_fit(impl_->algorithm, algorithm);
  return sign_digest(algorithm, digest(digest_of(algorithm), data));
}

Bytes PrivateKey::sign_digest(SignatureAlgorithm algorithm, ByteView dgst) const {
  check_fit(impl_->algorithm, algorithm);
  if (impl_->d) {
    const auto& curve = *impl_->curve;
    const auto e = curve.e_from_digest(dgst);
    gost::BignumPtr r(BN_new()), s(BN_new());
    curve.sign(impl_->d.get(), e.get(), nullptr, r.get(), s.get());
    return gost::encode_signature(curve, r.get(), s.get());
  }
  if (!impl_->rsa) throw Error("pki.no_key", "empty private key");
  if (dgst.size() != digest_size(algorithm))
    throw Error("pki.digest_length", "the digest has the wrong length for " + std::string(name(algorithm)));
  auto ctx = make_unique_ptr<EVP_PKEY_CTX_free>(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->rsa.get(), nullptr));
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), rsa_md(algorithm)) != 1 ||
      EVP_PKEY_sign(ctx.get(), nullptr, &len, dgst.data(), dgst.size()) != 1)
    throw OpenSslError("pki.sign", "cannot set up RSA signing");
  Bytes out(len);
  if (EVP_PKEY_sign(ctx.get(), out.data(), &len, dgst.data(), dgst.size()) != 1)
    throw OpenSslError("pki.sign", "RSA signing failed");
  out.resize(len);
  return out;
}

PublicKey PrivateKey::public_key() const {
  auto impl = std::make_unique<PublicKey::Impl>();
  impl->algorithm = impl_->algorithm;
  if (impl_->d) {
    impl->curve = impl_->curve;
    impl->point = impl_->curve->public_point(impl_->d.get());
    impl->spki = gost_spki(impl_->algorithm, *impl_->curve, impl->point.get());
    return make_public_key(std::move(impl));
  }
  if (!impl_->rsa) return PublicKey();
  impl->spki = i2d_bytes([&](unsigned char** b) { return i2d_PUBKEY(impl_->rsa.get(), b); });
  if (impl->spki.empty()) throw OpenSslError("pki.public_key", "cannot encode the RSA public key");
  const unsigned char* p = impl->spki.data();
  impl->rsa.reset(d2i_PUBKEY(nullptr, &p, static_cast<long>(impl->spki.size())));
  return make_public_key(std::move(impl));
}

PrivateKey generate_key(KeyAlgorithm algorithm, int rsa_bits) {
  auto impl = std::make_unique<PrivateKey::Impl>();
  impl->algorithm = algorithm;
  if (algorithm == KeyAlgorithm::Rsa) {
    impl->rsa.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(rsa_bits)));
    if (!impl->rsa) throw OpenSslError("pki.keygen", "RSA key generation failed");
    return PrivateKey(std::move(impl));
  }
  if (algorithm != KeyAlgorithm::Gost2015_512 && algorithm != KeyAlgorithm::Gost2015_256)
    throw Error("pki.unsupported_algorithm", "cannot generate " + std::string(name(algorithm)) + " keys");
  impl->curve = &curve_of(algorithm);
  impl->d = impl->curve->random_scalar();
  return PrivateKey(std::move(impl));
}

// ---- PKCS#8 ----

PrivateKey private_key_from_pkcs8(const PKCS8_PRIV_KEY_INFO* p8) {
  const ASN1_OBJECT* alg = nullptr;
  const unsigned char* pk = nullptr;
  int pk_len = 0;
  if (PKCS8_pkey_get0(&alg, &pk, &pk_len, nullptr, p8) != 1)
    throw OpenSslError("pkcs12.bad_key", "malformed PKCS#8 private key");
  const std::string oid = oid_string(alg);
  const auto kind = key_algorithm_from_oid(oid);
  if (!kind) throw Error("pki.unsupported_algorithm", "unsupported private key algorithm " + oid);
  auto impl = std::make_unique<PrivateKey::Impl>();
  impl->algorithm = *kind;
  if (*kind == KeyAlgorithm::Rsa) {
    impl->rsa.reset(EVP_PKCS82PKEY(p8));
    if (!impl->rsa) throw OpenSslError("pkcs12.bad_key", "malformed RSA private key");
    return PrivateKey(std::move(impl));
  }
  impl->curve = &curve_of(*kind);
  const std::size_t size = impl->curve->size();
  ByteView in(pk, static_cast<std::size_t>(pk_len));
  // Kalkan writes the scalar as an OCTET STRING of little-endian bytes (as RFC
  // 4491/9215 do); an INTEGER (big-endian) or the bare bytes are accepted too.
  ByteView probe = in;
  if (auto e = der::read(probe); e && probe.empty() && e->tag == 0x04) {
    impl->d.reset(BN_lebin2bn(e->content.data(), static_cast<int>(e->content.size()), BN_secure_new()));
  } else if (e && probe.empty() && e->tag == 0x02) {
    impl->d.reset(BN_bin2bn(e->content.data(), static_cast<int>(e->content.size()), BN_secure_new()));
  } else if (in.size() == size) {
    impl->d.reset(BN_lebin2bn(in.data(), static_cast<int>(in.size()), BN_secure_new()));
  } else {
    throw Error("pkcs12.bad_key", "unrecognised GOST private key encoding");
  }
  if (!impl->d || BN_is_zero(impl->d.get()) || BN_cmp(impl->d.get(), impl->curve->order()) >= 0)
    throw Error("pkcs12.bad_key", "GOST private key out of range");
  return PrivateKey(std::move(impl));
}

UniquePtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free> to_pkcs8(const PrivateKey& key) {
  const auto& impl = key.impl();
  if (impl.rsa) {
    UniquePtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free> p8(EVP_PKEY2PKCS8(impl.rsa.get()));
    if (!p8) throw OpenSslError("pki.pkcs8", "cannot encode the RSA private key");
    return p8;
  }
  const auto oids = gost_key_oids(impl.algorithm);
  if (!oids || !impl.d) throw Error("pki.pkcs8", "empty private key");
  Bytes scalar = gost::bn_to_le(impl.d.get(), impl.curve->size());
  Bytes value = der::octet_string(scalar);
  OPENSSL_cleanse(scalar.data(), scalar.size());
  const Bytes params = der::sequence(der::concat({der::oid(oids->params), der::oid(oids->digest)}));
  UniquePtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free> p8(PKCS8_PRIV_KEY_INFO_new());
  auto params_str = make_unique_ptr<ASN1_STRING_free>(ASN1_STRING_new());
  auto pk = make_unique_ptr<free_openssl>(static_cast<unsigned char*>(OPENSSL_malloc(value.size())));
  if (!p8 || !params_str || !pk ||
      ASN1_STRING_set(params_str.get(), params.data(), static_cast<int>(params.size())) != 1)
    throw OpenSslError("pki.pkcs8", "out of memory");
  std::memcpy(pk.get(), value.data(), value.size());
  OPENSSL_cleanse(value.data(), value.size());
  auto key_oid = make_unique_ptr<ASN1_OBJECT_free>(OBJ_txt2obj(oids->key, 1));
  if (PKCS8_pkey_set0(p8.get(), key_oid.get(), 0, V_ASN1_SEQUENCE, params_str.get(), pk.get(),
                      static_cast<int>(value.size())) != 1) {
    // Not taken over: the key bytes must not outlive this call in a freed buffer.
    OPENSSL_cleanse(pk.get(), value.size());
    throw OpenSslError("pki.pkcs8", "cannot build the PKCS#8 key");
  }
  // On success PKCS8_pkey_set0 owns all three.
  key_oid.release();
  params_str.release();
  pk.release();
  return p8;
}

}  // namespace qujat::pki
