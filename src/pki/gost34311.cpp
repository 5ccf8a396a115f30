#include "pki/gost34311.h"

#include <cstring>

namespace qujat::pki {
namespace {

using Block = std::array<std::uint8_t, 32>;

// The S-box Kalkan's GOST 34.311-95 uses: GOST R 34.11-94's test parameter
// set (RFC 4357 id-GostR3411-94-TestParamSet), rows k1 (lowest nibble) to k8.
// Found by hashing the content of real NCA signatures (docs/pki.md).
constexpr std::uint8_t kSbox[8][16] = {
    {0x4, 0xA, 0x9, 0x2, 0xD, 0x8, 0x0, 0xE, 0x6, 0xB, 0x1, 0xC, 0x7, 0xF, 0x5, 0x3},
    {0xE, 0xB, 0x4, 0xC, 0x6, 0xD, 0xF, 0xA, 0x2, 0x3, 0x8, 0x1, 0x0, 0x7, 0x5, 0x9},
    {0x5, 0x8, 0x1, 0xD, 0xA, 0x3, 0x4, 0x2, 0xE, 0xF, 0xC, 0x7, 0x6, 0x0, 0x9, 0xB},
    {0x7, 0xD, 0xA, 0x1, 0x0, 0x8, 0x9, 0xF, 0xE, 0x4, 0x6, 0xC, 0xB, 0x2, 0x5, 0x3},
    {0x6, 0xC, 0x7, 0x1, 0x5, 0xF, 0xD, 0x8, 0x4, 0xA, 0x9, 0xE, 0x0, 0x3, 0xB, 0x2},
    {0x4, 0xB, 0xA, 0x0, 0x7, 0x2, 0x1, 0xD, 0x3, 0x6, 0x8, 0x5, 0x9, 0xC, 0xF, 0xE},
    {0xD, 0xB, 0x4, 0x1, 0x3, 0xF, 0x5, 0x9, 0x0, 0xA, 0xE, 0x7, 0x6, 0x8, 0x2, 0xC},
    {0x1, 0xF, 0xD, 0x0, 0x5, 0x7, 0xA, 0x4, 0x9, 0x2, 0x3, 0xE, 0x6, 0xB, 0x8, 0xC},
};

// The S-box substitution of two nibbles at a time, for each byte of a word.
struct ByteTables {
  std::uint32_t t[4][256];
};

constexpr ByteTables make_tables() {
  ByteTables b{};
  for (int i = 0; i < 256; ++i)
    for (int k = 0; k < 4; ++k)
      b.t[k][i] = static_cast<std::uint32_t>(kSbox[2 * k + 1][i >> 4] << 4 | kSbox[2 * k][i & 15]) << (8 * k);
  return b;
}

constexpr ByteTables kTables = make_tables();

std::uint32_t f(std::uint32_t x) {
  const std::uint32_t y =
      kTables.t[0][x & 0xff] | kTables.t[1][(x >> 8) & 0xff] | kTables.t[2][(x >> 16) & 0xff] | kTables.t[3][x >> 24];
  return y << 11 | y >> 21;
}

std::uint32_t load32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

void store32(std::uint32_t v, std::uint8_t* p) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// GOST 28147-89 encryption of one 8-byte block (simple substitution mode).
void encrypt(const std::uint8_t* key, const std::uint8_t* in, std::uint8_t* out) {
  std::uint32_t k[8];
  for (int i = 0; i < 8; ++i) k[i] = load32(key + 4 * i);
  std::uint32_t n1 = load32(in), n2 = load32(in + 4);
  auto two_rounds = [&](int a, int b) {
    n2 ^= f(n1 + k[a]);
    n1 ^= f(n2 + k[b]);
  };
  for (int pass = 0; pass < 3; ++pass)
    for (int i = 0; i < 8; i += 2) two_rounds(i, i + 1);
  for (int i = 7; i > 0; i -= 2) two_rounds(i, i - 1);
  store32(n2, out);
  store32(n1, out + 4);
}

// The key from W: the permutation P of GOST R 34.11-94.
Block permute(const Block& w) {
  Block k{};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 8; ++j) k[i + 4 * j] = w[8 * i + j];
  return k;
}

// A(Y): shift by 64 bits, the last 64 bits the xor of the first two.
Block shift_a(const Block& w) {
  Block k{};
  std::memcpy(k.data(), w.data() + 8, 24);
  for (int i = 0; i < 8; ++i) k[i + 24] = w[i] ^ w[i + 8];
  return k;
}

// ψ: one step of the linear feedback over 16-bit words.
void psi(Block& d) {
  const std::uint8_t lo = d[0] ^ d[2] ^ d[4] ^ d[6] ^ d[24] ^ d[30];
  const std::uint8_t hi = d[1] ^ d[3] ^ d[5] ^ d[7] ^ d[25] ^ d[31];
  std::memmove(d.data(), d.data() + 2, 30);
  d[30] = lo;
  d[31] = hi;
}

Block xor_of(const Block& a, const Block& b) {
  Block out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = a[i] ^ b[i];
  return out;
}

// The step function: H and a message block M give the next H.
Block step(const Block& h, const Block& m) {
  Block s{};
  Block u = h, v = m;
  Block key = permute(xor_of(h, m));
  encrypt(key.data(), h.data(), s.data());
  for (int i = 1; i < 4; ++i) {
    u = shift_a(u);
    if (i == 2) {
      // C3, the only non-zero constant.
      for (int b : {1, 3, 5, 7, 8, 10, 12, 14, 17, 18, 20, 23, 24, 28, 29, 31}) u[b] ^= 0xff;
    }
    v = shift_a(shift_a(v));
    key = permute(xor_of(u, v));
    encrypt(key.data(), h.data() + 8 * i, s.data() + 8 * i);
  }
  for (int i = 0; i < 12; ++i) psi(s);
  s = xor_of(s, m);
  psi(s);
  s = xor_of(s, h);
  for (int i = 0; i < 61; ++i) psi(s);
  return s;
}

void add_to(Block& sum, const Block& m) {
  unsigned carry = 0;
  for (std::size_t i = 0; i < sum.size(); ++i) {
    const unsigned t = sum[i] + m[i] + carry;
    sum[i] = static_cast<std::uint8_t>(t);
    carry = t >> 8;
  }
}

}  // namespace

void Gost34311::absorb(const Block& m) {
  hash_ = step(hash_, m);
  add_to(sum_, m);
}

void Gost34311::update(ByteView data) {
  length_ += data.size();
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::size_t take = std::min(buffer_.size() - buffered_, data.size() - pos);
    std::memcpy(buffer_.data() + buffered_, data.data() + pos, take);
    buffered_ += take;
    pos += take;
    if (buffered_ == buffer_.size()) {
      absorb(buffer_);
      buffered_ = 0;
    }
  }
}

Bytes Gost34311::finish() {
  if (buffered_ > 0) {
    // The last, short block is padded with zero bytes at its end.
    std::memset(buffer_.data() + buffered_, 0, buffer_.size() - buffered_);
    absorb(buffer_);
    buffered_ = 0;
  }
  Block length{};  // the message length in bits, little-endian
  const std::uint64_t bits_low = length_ << 3;
  for (int i = 0; i < 8; ++i) length[i] = static_cast<std::uint8_t>(bits_low >> (8 * i));
  length[8] = static_cast<std::uint8_t>(length_ >> 61);
  hash_ = step(hash_, length);
  hash_ = step(hash_, sum_);
  return Bytes(hash_.begin(), hash_.end());
}

}  // namespace qujat::pki
