// What PublicKey and PrivateKey hold, shared inside qujat_pki (certificates,
// PKCS#12 and the test PKI build keys from their KZ encodings).
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <optional>
#include <string>

#include "pki/gost.h"
#include "qujat/pki/keys.h"

namespace qujat::pki {

struct PublicKey::Impl {
  KeyAlgorithm algorithm = KeyAlgorithm::Unknown;
  const gost::Curve* curve = nullptr;  // GOST keys
  gost::PointPtr point;                // GOST keys
  UniquePtr<EVP_PKEY, EVP_PKEY_free> rsa;
  Bytes spki;  // DER SubjectPublicKeyInfo
};

struct PrivateKey::Impl {
  KeyAlgorithm algorithm = KeyAlgorithm::Unknown;
  const gost::Curve* curve = nullptr;
  gost::BignumPtr d;  // secure heap, cleared on free
  UniquePtr<EVP_PKEY, EVP_PKEY_free> rsa;
};

// The KZ OIDs of a GOST key kind: key algorithm, curve parameters, digest.
struct GostKeyOids {
  const char* key;
  const char* params;
  const char* digest;
};
std::optional<GostKeyOids> gost_key_oids(KeyAlgorithm a);
std::optional<KeyAlgorithm> key_algorithm_from_oid(std::string_view oid);
const gost::Curve& curve_of(KeyAlgorithm a);

// KZ SubjectPublicKeyInfo of a GOST public point.
Bytes gost_spki(KeyAlgorithm a, const gost::Curve& curve, const EC_POINT* q);
PublicKey make_public_key(std::unique_ptr<PublicKey::Impl> impl);

// The private key of a KZ PKCS#8 PrivateKeyInfo (KZ OID inside), RSA included.
PrivateKey private_key_from_pkcs8(const PKCS8_PRIV_KEY_INFO* p8);
// A KZ PKCS#8 PrivateKeyInfo for writing NCA-style PKCS#12 files.
UniquePtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free> to_pkcs8(const PrivateKey& key);

// Checks a SEQUENCE{tbs, algorithm, BIT STRING signature} (certificate, CRL,
// OCSP BasicResponse) over its transmitted TBS bytes; false for any failure.
bool verify_signed_structure(ByteView der, std::optional<SignatureAlgorithm> algorithm, const PublicKey& key);

}  // namespace qujat::pki
