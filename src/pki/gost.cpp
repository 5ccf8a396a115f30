#include "pki/gost.h"

#include <dlfcn.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <string>

#include "qujat/common/error.h"

namespace qujat::pki::gost {
namespace {
using CtxPtr = UniquePtr<BN_CTX, BN_CTX_free>;

CtxPtr new_ctx() {
  CtxPtr ctx(BN_CTX_new());
  if (!ctx) throw OpenSslError("pki.gost", "out of memory");
  return ctx;
}
}  // namespace

BignumPtr bn_from_hex(const char* hex) {
  BIGNUM* n = nullptr;
  if (BN_hex2bn(&n, hex) == 0) throw OpenSslError("pki.gost", "bad curve constant");
  return BignumPtr(n);
}

BignumPtr bn_from_be(ByteView be) {
  BignumPtr n(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
  if (!n) throw OpenSslError("pki.gost", "out of memory");
  return n;
}

BignumPtr bn_from_le(ByteView le) {
  BignumPtr n(BN_lebin2bn(le.data(), static_cast<int>(le.size()), nullptr));
  if (!n) throw OpenSslError("pki.gost", "out of memory");
  return n;
}

Bytes bn_to_be(const BIGNUM* n, std::size_t size) {
  Bytes out(size);
  if (BN_bn2binpad(n, out.data(), static_cast<int>(size)) < 0) throw Error("pki.gost", "number too large");
  return out;
}

Bytes bn_to_le(const BIGNUM* n, std::size_t size) {
  Bytes out(size);
  if (BN_bn2lebinpad(n, out.data(), static_cast<int>(size)) < 0) throw Error("pki.gost", "number too large");
  return out;
}

namespace {
// The gost engine module of Debian's libengine-gost-openssl carries ECCKiila's
// generated, constant-time arithmetic for each GOST curve and exports it
// (point_mul_g_id_<curve>(group, r, n, ctx)). Its fixed-base multiplication is
// about five times faster than OpenSSL's generic ladder on a custom curve, and
// k*G is the whole cost of a signature. The routine is looked up in the module
// (never through the deprecated ENGINE API) and only used after it reproduced
// EC_POINT_mul on this very group; otherwise OpenSSL's own path is kept.
void* gost_engine_module() {
  static void* const handle = [] {
    const char* dir = OPENSSL_info(OPENSSL_INFO_ENGINES_DIR);
    if (dir == nullptr) return static_cast<void*>(nullptr);
    const std::string path = std::string(dir) + "/gost.so";
    // Kept loaded for the life of the process, like OpenSSL's own providers.
    return dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  }();
  return handle;
}
}  // namespace

Curve::Curve(const char* p, const char* a, const char* b, const char* q, const char* x, const char* y,
             const char* engine_curve) {
  auto ctx = new_ctx();
  auto bp = bn_from_hex(p), ba = bn_from_hex(a), bb = bn_from_hex(b), bx = bn_from_hex(x), by = bn_from_hex(y);
  order_ = bn_from_hex(q);
  group_.reset(EC_GROUP_new_curve_GFp(bp.get(), ba.get(), bb.get(), ctx.get()));
  if (!group_) throw OpenSslError("pki.gost", "cannot build the GOST curve");
  PointPtr g(EC_POINT_new(group_.get()));
  if (!g || EC_POINT_set_affine_coordinates(group_.get(), g.get(), bx.get(), by.get(), ctx.get()) != 1)
    throw OpenSslError("pki.gost", "bad GOST base point");
  // The cofactor is left to OpenSSL (nullptr): the 256-bit TC26 curve has 4.
  if (EC_GROUP_set_generator(group_.get(), g.get(), order_.get(), nullptr) != 1)
    throw OpenSslError("pki.gost", "cannot set the GOST base point");
  size_ = static_cast<std::size_t>(BN_num_bytes(bp.get()));

  if (engine_curve == nullptr) return;
  void* module = gost_engine_module();
  if (module == nullptr) return;
  // Each routine is self-checked against OpenSSL on fixed scalars before it
  // is trusted with this group.
  auto k = bn_from_hex("1D4C2D3B5A6978F0E1D2C3B4A5968778695A4B3C2D1E0F1A2B3C4D5E6F708192");
  auto m = bn_from_hex("0F1E2D3C4B5A69788796A5B4C3D2E1F00112233445566778899AABBCCDDEEFF1");
  PointPtr expected(EC_POINT_new(group_.get())), got(EC_POINT_new(group_.get())),
      public_point(EC_POINT_new(group_.get()));
  if (!expected || !got || !public_point) return;
  const std::string curve = engine_curve;
  if (auto g_mul = reinterpret_cast<FixedBaseMul>(dlsym(module, ("point_mul_g_id_" + curve).c_str()))) {
    if (EC_POINT_mul(group_.get(), expected.get(), k.get(), nullptr, nullptr, ctx.get()) == 1 &&
        g_mul(group_.get(), got.get(), k.get(), ctx.get()) == 1 &&
        EC_POINT_cmp(group_.get(), expected.get(), got.get(), ctx.get()) == 0)
      fast_mul_g_ = g_mul;
  }
  if (auto two_mul = reinterpret_cast<DoubleMul>(dlsym(module, ("point_mul_two_id_" + curve).c_str()))) {
    // Q = m*G stands for a public key; check k*G + m*Q.
    if (EC_POINT_mul(group_.get(), public_point.get(), m.get(), nullptr, nullptr, ctx.get()) == 1 &&
        EC_POINT_mul(group_.get(), expected.get(), k.get(), public_point.get(), m.get(), ctx.get()) == 1 &&
        two_mul(group_.get(), got.get(), k.get(), public_point.get(), m.get(), ctx.get()) == 1 &&
        EC_POINT_cmp(group_.get(), expected.get(), got.get(), ctx.get()) == 0)
      fast_mul_two_ = two_mul;
  }
  clear_openssl_errors();
}

bool Curve::double_mul(EC_POINT* out, const BIGNUM* z1, const EC_POINT* q, const BIGNUM* z2, BN_CTX* ctx) const {
  if (fast_mul_two_ != nullptr) return fast_mul_two_(group(), out, z1, q, z2, ctx) == 1;
  return EC_POINT_mul(group(), out, z1, q, z2, ctx) == 1;
}

bool Curve::fixed_base_mul(EC_POINT* out, const BIGNUM* k, BN_CTX* ctx) const {
  if (fast_mul_g_ != nullptr) return fast_mul_g_(group(), out, k, ctx) == 1;
  return EC_POINT_mul(group(), out, k, nullptr, nullptr, ctx) == 1;
}

const Curve& Curve::get(CurveId id) {
  // Built on first use and kept for the process: building a group costs more
  // than a verification.
  switch (id) {
    case CurveId::Tc26_512_A: {
      static const Curve c(
          "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
          "FFFFFFFFFFFFFFFFFDC7",
          "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
          "FFFFFFFFFFFFFFFFFDC4",
          "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE"
          "4"
          "761503190785A71C760",
          "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2"
          "B"
          "85DCACDB1411F10B275",
          "3",
          "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235"
          "F"
          "5B889A589CB5215F2A4",
          "tc26_gost_3410_2012_512_paramSetA");
      return c;
    }
    case CurveId::Tc26_256_A: {
      static const Curve c("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
                           "C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335",
                           "295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513",
                           "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67",
                           "91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28",
                           "32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C",
                           "tc26_gost_3410_2012_256_paramSetA");
      return c;
    }
    case CurveId::CryptoPro_A: {
      static const Curve c("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
                           "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94", "A6",
                           "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893", "1",
                           "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14",
                           "GostR3410_2001_CryptoPro_A_ParamSet");
      return c;
    }
    case CurveId::Test_256:
      break;
  }
  static const Curve c("8000000000000000000000000000000000000000000000000000000000000431", "7",
                       "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E",
                       "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3", "2",
                       "08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8");
  return c;
}

PointPtr Curve::point_from_le(ByteView xy) const {
  if (xy.size() != 2 * size_) return nullptr;
  auto x = bn_from_le(xy.first(size_));
  auto y = bn_from_le(xy.subspan(size_));
  auto ctx = new_ctx();
  PointPtr p(EC_POINT_new(group()));
  if (!p || EC_POINT_set_affine_coordinates(group(), p.get(), x.get(), y.get(), ctx.get()) != 1 ||
      EC_POINT_is_on_curve(group(), p.get(), ctx.get()) != 1) {
    clear_openssl_errors();
    return nullptr;
  }
  return p;
}

Bytes Curve::point_to_le(const EC_POINT* p) const {
  auto ctx = new_ctx();
  BignumPtr x(BN_new()), y(BN_new());
  if (EC_POINT_get_affine_coordinates(group(), p, x.get(), y.get(), ctx.get()) != 1)
    throw OpenSslError("pki.gost", "point at infinity");
  Bytes out = bn_to_le(x.get(), size_);
  const Bytes yb = bn_to_le(y.get(), size_);
  out.insert(out.end(), yb.begin(), yb.end());
  return out;
}

PointPtr Curve::public_point(const BIGNUM* d) const {
  auto ctx = new_ctx();
  PointPtr q(EC_POINT_new(group()));
  if (!q || EC_POINT_mul(group(), q.get(), d, nullptr, nullptr, ctx.get()) != 1)
    throw OpenSslError("pki.gost", "cannot compute the public key");
  return q;
}

BignumPtr Curve::e_from_digest(ByteView digest) const {
  auto e = bn_from_le(digest);
  auto ctx = new_ctx();
  if (BN_nnmod(e.get(), e.get(), order(), ctx.get()) != 1) throw OpenSslError("pki.gost", "mod q failed");
  if (BN_is_zero(e.get())) BN_one(e.get());
  return e;
}

BignumPtr Curve::random_scalar() const {
  BignumPtr k(BN_secure_new());
  // 0 < k < q
  do {
    if (!k || BN_priv_rand_range(k.get(), order()) != 1) throw OpenSslError("pki.gost", "no randomness");
  } while (BN_is_zero(k.get()));
  return k;
}

bool Curve::verify(const EC_POINT* q, const BIGNUM* e, const BIGNUM* r, const BIGNUM* s) const {
  const BIGNUM* n = order();
  if (BN_is_zero(r) || BN_is_zero(s) || BN_is_negative(r) || BN_is_negative(s) || BN_cmp(r, n) >= 0 ||
      BN_cmp(s, n) >= 0)
    return false;
  auto ctx = new_ctx();
  BN_CTX_start(ctx.get());
  BIGNUM* v = BN_CTX_get(ctx.get());
  BIGNUM* z1 = BN_CTX_get(ctx.get());
  BIGNUM* z2 = BN_CTX_get(ctx.get());
  BIGNUM* x = BN_CTX_get(ctx.get());
  bool ok = v != nullptr && x != nullptr && BN_mod_inverse(v, e, n, ctx.get()) != nullptr &&
            BN_mod_mul(z1, s, v, n, ctx.get()) == 1 && BN_mod_mul(z2, r, v, n, ctx.get()) == 1 &&
            BN_sub(z2, n, z2) == 1;
  if (ok) {
    PointPtr c(EC_POINT_new(group()));
    ok = c && double_mul(c.get(), z1, q, z2, ctx.get()) &&
         EC_POINT_get_affine_coordinates(group(), c.get(), x, nullptr, ctx.get()) == 1 &&
         BN_nnmod(x, x, n, ctx.get()) == 1 && BN_cmp(x, r) == 0;
  }
  BN_CTX_end(ctx.get());
  clear_openssl_errors();
  return ok;
}

void Curve::sign(const BIGNUM* d, const BIGNUM* e, const BIGNUM* fixed_k, BIGNUM* r, BIGNUM* s) const {
  const BIGNUM* n = order();
  auto ctx = new_ctx();
  PointPtr c(EC_POINT_new(group()));
  BignumPtr rd(BN_secure_new()), ke(BN_secure_new());
  if (!c || !rd || !ke) throw OpenSslError("pki.gost", "out of memory");
  for (;;) {
    BignumPtr fresh;
    const BIGNUM* k = fixed_k;
    if (k == nullptr) {
      fresh = random_scalar();
      k = fresh.get();
    }
    if (!fixed_base_mul(c.get(), k, ctx.get()) ||
        EC_POINT_get_affine_coordinates(group(), c.get(), r, nullptr, ctx.get()) != 1 ||
        BN_nnmod(r, r, n, ctx.get()) != 1)
      throw OpenSslError("pki.gost", "signature computation failed");
    if (BN_is_zero(r)) {
      if (fixed_k != nullptr) throw Error("pki.gost", "fixed k gives r = 0");
      continue;
    }
    if (BN_mod_mul(rd.get(), r, d, n, ctx.get()) != 1 || BN_mod_mul(ke.get(), k, e, n, ctx.get()) != 1 ||
        BN_mod_add(s, rd.get(), ke.get(), n, ctx.get()) != 1)
      throw OpenSslError("pki.gost", "signature computation failed");
    if (BN_is_zero(s)) {
      if (fixed_k != nullptr) throw Error("pki.gost", "fixed k gives s = 0");
      continue;
    }
    return;
  }
}

Bytes encode_signature(const Curve& c, const BIGNUM* r, const BIGNUM* s) {
  Bytes out = bn_to_be(s, c.size());
  const Bytes rb = bn_to_be(r, c.size());
  out.insert(out.end(), rb.begin(), rb.end());
  std::reverse(out.begin(), out.end());
  return out;
}

bool decode_signature(const Curve& c, ByteView sig, BignumPtr& r, BignumPtr& s) {
  if (sig.size() != 2 * c.size()) return false;
  Bytes be(sig.rbegin(), sig.rend());  // s || r, big-endian
  s = bn_from_be(ByteView(be).first(c.size()));
  r = bn_from_be(ByteView(be).subspan(c.size()));
  return true;
}

}  // namespace qujat::pki::gost
