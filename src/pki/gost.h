// GOST 34.10 (2012/2015 and 2001/2004) elliptic-curve signatures on OpenSSL's
// EC_GROUP/BIGNUM arithmetic: Debian's gostprov gives only digests, and the
// gost ENGINE API is deprecated. Internal to qujat_pki; tests use it for the
// RFC 7091 known-answer test (fixed k).
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <cstddef>

#include "qujat/common/bytes.h"
#include "qujat/common/memory.h"

namespace qujat::pki::gost {

using BignumPtr = UniquePtr<BIGNUM, BN_clear_free>;
using PointPtr = UniquePtr<EC_POINT, EC_POINT_free>;

enum class CurveId {
  Tc26_512_A,   // id-tc26-gost-3410-12-512-paramSetA = KZ 1.2.398.3.10.1.1.2.2.1
  Tc26_256_A,   // id-tc26-gost-3410-2012-256-paramSetA = KZ 1.2.398.3.10.1.1.2.1.1
  CryptoPro_A,  // GostR3410-2001-CryptoPro-A, legacy KZ GOST 34.310-2004
  Test_256,     // GostR3410-2001-TestParamSet, only for the RFC 7091 example
};

// A curve built once per process and shared read-only between threads.
class Curve {
 public:
  static const Curve& get(CurveId id);

  const EC_GROUP* group() const { return group_.get(); }
  const BIGNUM* order() const { return order_.get(); }
  std::size_t size() const { return size_; }  // bytes of one coordinate / of r and s

  // Point from X||Y little-endian (NCA public key); nullptr when not on the curve.
  PointPtr point_from_le(ByteView xy) const;
  Bytes point_to_le(const EC_POINT* p) const;
  PointPtr public_point(const BIGNUM* d) const;

  // r, s as big-endian BIGNUMs, e already reduced as GOST says (e mod q, 0 -> 1).
  bool verify(const EC_POINT* q, const BIGNUM* e, const BIGNUM* r, const BIGNUM* s) const;
  // k == nullptr: a fresh random k per signature (the only production use).
  void sign(const BIGNUM* d, const BIGNUM* e, const BIGNUM* k, BIGNUM* r, BIGNUM* s) const;

  // e from a digest: the digest bytes read as a little-endian integer, mod q, 0 -> 1.
  BignumPtr e_from_digest(ByteView digest) const;
  BignumPtr random_scalar() const;

  // k*G for the signature's nonce: the gost engine's constant-time routine for
  // this curve when Debian's module provides it, else OpenSSL's EC_POINT_mul.
  bool fixed_base_mul(EC_POINT* out, const BIGNUM* k, BN_CTX* ctx) const;
  bool has_fast_fixed_base() const { return fast_mul_g_ != nullptr; }
  // z1*G + z2*Q for a verification: the engine's routine for this curve when
  // present (public data only, so variable time is fine), else EC_POINT_mul.
  bool double_mul(EC_POINT* out, const BIGNUM* z1, const EC_POINT* q, const BIGNUM* z2, BN_CTX* ctx) const;
  bool has_fast_double_mul() const { return fast_mul_two_ != nullptr; }

  Curve(const Curve&) = delete;
  Curve& operator=(const Curve&) = delete;
  // `engine_curve`: the gost engine's name for this curve
  // ("tc26_gost_3410_2012_512_paramSetA"), whose point_mul_g_id_<name> and
  // point_mul_two_id_<name> serve fixed_base_mul and double_mul; nullptr when
  // the engine has none.
  Curve(const char* p, const char* a, const char* b, const char* q, const char* x, const char* y,
        const char* engine_curve = nullptr);

 private:
  using FixedBaseMul = int (*)(const EC_GROUP*, EC_POINT*, const BIGNUM*, BN_CTX*);
  using DoubleMul = int (*)(const EC_GROUP*, EC_POINT*, const BIGNUM*, const EC_POINT*, const BIGNUM*, BN_CTX*);
  FixedBaseMul fast_mul_g_ = nullptr;
  DoubleMul fast_mul_two_ = nullptr;
  UniquePtr<EC_GROUP, EC_GROUP_free> group_;
  BignumPtr order_;
  std::size_t size_ = 0;
};

// NCA wire format: the 2*size bytes reversed = s||r big-endian.
Bytes encode_signature(const Curve& c, const BIGNUM* r, const BIGNUM* s);
// false when the length is wrong.
bool decode_signature(const Curve& c, ByteView sig, BignumPtr& r, BignumPtr& s);

BignumPtr bn_from_hex(const char* hex);
BignumPtr bn_from_be(ByteView be);
BignumPtr bn_from_le(ByteView le);
Bytes bn_to_be(const BIGNUM* n, std::size_t size);
Bytes bn_to_le(const BIGNUM* n, std::size_t size);

}  // namespace qujat::pki::gost
