// Public and private keys of NCA certificates: GOST 34.10-2015 (512/256),
// legacy GOST 34.310-2004 (verify only where provable) and RSA.
// Signatures are in the wire format NCA uses in XML SignatureValue and CMS
// SignerInfo.signature (for GOST: the 128 bytes reversed = s||r big-endian
// after reversal, see KZ-PKI.md), so dsig never deals with byte orders.
#pragma once

#include <memory>

#include "qujat/common/bytes.h"
#include "qujat/pki/algorithms.h"

namespace qujat::pki {

class PublicKey {
 public:
  PublicKey();
  ~PublicKey();
  PublicKey(const PublicKey&);
  PublicKey& operator=(const PublicKey&);
  PublicKey(PublicKey&&) noexcept;
  PublicKey& operator=(PublicKey&&) noexcept;

  // From a DER SubjectPublicKeyInfo (KZ OIDs understood).
  static PublicKey from_spki_der(ByteView spki);

  KeyAlgorithm algorithm() const;
  int bits() const;
  // The DER SubjectPublicKeyInfo (KZ encoding for GOST keys); empty for an empty key.
  Bytes spki_der() const;
  // The raw public key as NCA stores it: GOST X||Y little-endian; RSA the PKCS#1 DER.
  Bytes raw() const;
  bool same_as(const PublicKey& other) const;

  // Hashes `data` with the algorithm's digest and checks `signature`.
  // false for a wrong signature; throws qujat::Error only for unusable input
  // ("pki.unsupported_algorithm", "pki.key_mismatch").
  bool verify(SignatureAlgorithm algorithm, ByteView data, ByteView signature) const;
  // Same, over a digest already computed with digest_of(algorithm).
  bool verify_digest(SignatureAlgorithm algorithm, ByteView digest, ByteView signature) const;

  struct Impl;
  const Impl& impl() const { return *impl_; }
  explicit PublicKey(std::shared_ptr<const Impl> impl);

 private:
  std::shared_ptr<const Impl> impl_;  // immutable once built: cheap to copy
};

// A private key held in memory only as long as its owner lives; cleansed on destruction.
class PrivateKey {
 public:
  PrivateKey();
  ~PrivateKey();
  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;

  KeyAlgorithm algorithm() const;
  SignatureAlgorithm default_signature() const;

  Bytes sign(SignatureAlgorithm algorithm, ByteView data) const;
  Bytes sign_digest(SignatureAlgorithm algorithm, ByteView digest) const;

  // The matching public key (for self-checks and certificate generation).
  PublicKey public_key() const;

  struct Impl;
  explicit PrivateKey(std::unique_ptr<Impl> impl);
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Fresh keys (test PKI generator, tests). GOST: 512-bit paramSetA (or 256 paramSetA).
PrivateKey generate_key(KeyAlgorithm algorithm, int rsa_bits = 2048);

}  // namespace qujat::pki
