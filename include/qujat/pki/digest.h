// Message digests: Streebog through OpenSSL's gostprov provider, SHA-2/SHA-1
// through the default provider, the legacy GOST 34.311-95 computed by qujat.
// Output bytes are exactly what NCA puts in XML DigestValue and CMS messageDigest.
#pragma once

#include <memory>

#include "qujat/common/bytes.h"
#include "qujat/pki/algorithms.h"

namespace qujat::pki {

// Loads the providers once per process (default, legacy, gostprov). Safe to
// call often; throws qujat::Error("pki.provider") when gostprov is missing.
void ensure_providers();

// One-shot digest.
Bytes digest(DigestAlgorithm algorithm, ByteView data);

// Incremental digest, for streaming canonical XML or a PDF ByteRange.
class Digest {
 public:
  explicit Digest(DigestAlgorithm algorithm);
  ~Digest();
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  void update(ByteView data);
  Bytes finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qujat::pki
