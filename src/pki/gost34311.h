// GOST 34.311-95, Kazakhstan's adoption of GOST R 34.11-94: the hash of the
// legacy NCA keys (GOST 34.310-2004, issued before 2015, still on archived
// documents). OpenSSL's md_gost94 fixes the CryptoPro S-box, which is not the
// one Kalkan uses, so the function is computed here (docs/pki.md says how the
// parameters were found). Internal to qujat_pki; pki::Digest is the API.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "qujat/common/bytes.h"

namespace qujat::pki {

class Gost34311 {
 public:
  void update(ByteView data);
  // The 32-byte hash, in the byte order the gost engine prints GOST R 34.11-94
  // hashes (and NCA puts in messageDigest and DigestValue). Once only.
  Bytes finish();

 private:
  using Block = std::array<std::uint8_t, 32>;
  void absorb(const Block& m);  // the step function on m, and m added to the sum

  Block hash_{};    // H, zero at the start (the standard's starting value)
  Block sum_{};     // Σ of the message blocks mod 2^256, little-endian
  Block buffer_{};  // an incomplete block
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes
};

}  // namespace qujat::pki
