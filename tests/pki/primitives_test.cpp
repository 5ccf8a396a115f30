// Known-answer tests of the primitives: Streebog (RFC 6986), GOST 34.10
// (RFC 7091 example on the 256-bit test curve), and sign/verify round trips.
#include <gtest/gtest.h>

#include "pki/gost.h"
#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "qujat/pki/algorithms.h"
#include "qujat/pki/digest.h"
#include "qujat/pki/keys.h"

using namespace qujat;
using namespace qujat::pki;

namespace {
// RFC 6986 example M1: the ASCII digits "0123456789" repeated, 63 bytes.
const std::string kM1 = "012345678901234567890123456789012345678901234567890123456789012";
// RFC 6986 example M2 (CP1251 text of "The Tale of Igor's Campaign").
const char* kM2Hex =
    "d1e520e2e5f2f0e82c20d1f2f0e8e1eee6e820e2edf3f6e82c20e2e5fef2fa20f120eceef0ff20f1f2f0e5ebe0ece820ede020f5f0e0e1f0f"
    "bff20efebfaeafb20c8e3eef0e5e2fb";
}  // namespace

TEST(Streebog, Rfc6986M1Is512And256) {
  EXPECT_EQ(
      hex_encode(digest(DigestAlgorithm::Streebog512, as_bytes(kM1))),
      "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b0"
      "8ef7f41797891c1646f48");
  EXPECT_EQ(hex_encode(digest(DigestAlgorithm::Streebog256, as_bytes(kM1))),
            "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500");
}

TEST(Streebog, Rfc6986M2Is512And256) {
  const Bytes m2 = *hex_decode(kM2Hex);
  EXPECT_EQ(
      hex_encode(digest(DigestAlgorithm::Streebog512, m2)),
      "1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2"
      "b6460143b03dabac9fb28");
  EXPECT_EQ(hex_encode(digest(DigestAlgorithm::Streebog256, m2)),
            "9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50");
}

TEST(Streebog, IncrementalEqualsOneShot) {
  Digest d(DigestAlgorithm::Streebog512);
  d.update(as_bytes(std::string_view(kM1).substr(0, 10)));
  d.update(as_bytes(std::string_view(kM1).substr(10)));
  EXPECT_EQ(d.finish(), digest(DigestAlgorithm::Streebog512, as_bytes(kM1)));
}

TEST(Sha, Sha256OfAbc) {
  EXPECT_EQ(hex_encode(digest(DigestAlgorithm::Sha256, as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Gost3410, Rfc7091ExampleSignsAndVerifies) {
  const auto& curve = gost::Curve::get(gost::CurveId::Test_256);
  const auto d = gost::bn_from_hex("7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28");
  const auto e = gost::bn_from_hex("2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5");
  const auto k = gost::bn_from_hex("77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3");
  gost::BignumPtr r(BN_new()), s(BN_new());
  curve.sign(d.get(), e.get(), k.get(), r.get(), s.get());
  EXPECT_EQ(hex_encode(gost::bn_to_be(r.get(), 32), true),
            "41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493");
  EXPECT_EQ(hex_encode(gost::bn_to_be(s.get(), 32), true),
            "01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40");

  const auto q = curve.public_point(d.get());
  const Bytes q_le = curve.point_to_le(q.get());
  Bytes qx(q_le.begin(), q_le.begin() + 32), qy(q_le.begin() + 32, q_le.end());
  std::reverse(qx.begin(), qx.end());
  std::reverse(qy.begin(), qy.end());
  EXPECT_EQ(hex_encode(qx, true), "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B");
  EXPECT_EQ(hex_encode(qy, true), "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA");

  EXPECT_TRUE(curve.verify(q.get(), e.get(), r.get(), s.get()));
  BN_add_word(s.get(), 1);
  EXPECT_FALSE(curve.verify(q.get(), e.get(), r.get(), s.get()));
}

TEST(Gost3410, SignatureWireFormatIsReversedSThenR) {
  const auto& curve = gost::Curve::get(gost::CurveId::Test_256);
  const auto r = gost::bn_from_hex("01");
  const auto s = gost::bn_from_hex("02");
  const Bytes wire = gost::encode_signature(curve, r.get(), s.get());
  ASSERT_EQ(wire.size(), 64u);
  EXPECT_EQ(wire[0], 0x01);   // r little-endian first
  EXPECT_EQ(wire[32], 0x02);  // then s little-endian
  gost::BignumPtr r2, s2;
  ASSERT_TRUE(gost::decode_signature(curve, wire, r2, s2));
  EXPECT_EQ(BN_cmp(r2.get(), r.get()), 0);
  EXPECT_EQ(BN_cmp(s2.get(), s.get()), 0);
}

class RoundTrip : public ::testing::TestWithParam<KeyAlgorithm> {};

TEST_P(RoundTrip, FreshKeySignsAndVerifies) {
  const auto key = generate_key(GetParam());
  const auto pub = key.public_key();
  const auto alg = key.default_signature();
  const Bytes sig = key.sign(alg, as_bytes("document"));
  EXPECT_TRUE(pub.verify(alg, as_bytes("document"), sig));
  EXPECT_FALSE(pub.verify(alg, as_bytes("documenT"), sig));
  Bytes bad = sig;
  bad[5] ^= 1;
  EXPECT_FALSE(pub.verify(alg, as_bytes("document"), bad));
  // The SPKI round-trips through the KZ encoding.
  const auto again = PublicKey::from_spki_der(pub.spki_der());
  EXPECT_EQ(again.algorithm(), GetParam());
  EXPECT_TRUE(again.verify(alg, as_bytes("document"), sig));
}

INSTANTIATE_TEST_SUITE_P(Keys, RoundTrip,
                         ::testing::Values(KeyAlgorithm::Gost2015_512, KeyAlgorithm::Gost2015_256, KeyAlgorithm::Rsa));

TEST(Keys, WrongAlgorithmForKeyIsAnError) {
  const auto key = generate_key(KeyAlgorithm::Gost2015_512);
  try {
    key.sign(SignatureAlgorithm::RsaSha256, as_bytes("x"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "pki.key_mismatch");
  }
}

TEST(Algorithms, UrisAndOidsRoundTrip) {
  for (auto a : {SignatureAlgorithm::Gost2015_512, SignatureAlgorithm::Gost2015_256, SignatureAlgorithm::Gost2004,
                 SignatureAlgorithm::RsaSha256, SignatureAlgorithm::RsaSha1}) {
    EXPECT_EQ(signature_from_uri(signature_uri(a)), a);
    EXPECT_EQ(signature_from_oid(signature_oid(a)), a);
    EXPECT_EQ(digest_from_uri(digest_uri(digest_of(a))), digest_of(a));
  }
  EXPECT_EQ(signature_uri(SignatureAlgorithm::Gost2015_512),
            "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512");
  EXPECT_EQ(signature_oid(SignatureAlgorithm::Gost2015_512), "1.2.398.3.10.1.1.2.3.2");
  EXPECT_EQ(name(SignatureAlgorithm::RsaSha256), "rsa-sha256");
}

// Signing takes the nonce's k*G, and verification z1*G + z2*Q, from the gost
// engine module's routines for the curve (Debian's libengine-gost-openssl);
// the curve adopts each only after it reproduced OpenSSL's EC_POINT_mul.
// Both GOST 2015 curves must have them, or signing and verification silently
// fall back to OpenSSL's several-times-slower generic arithmetic.
TEST(Gost3410, CurveArithmeticComesFromTheGostEngineModule) {
  for (auto id : {gost::CurveId::Tc26_512_A, gost::CurveId::Tc26_256_A}) {
    EXPECT_TRUE(gost::Curve::get(id).has_fast_fixed_base());
    EXPECT_TRUE(gost::Curve::get(id).has_fast_double_mul());
  }
}

// The engine's double multiplication agrees with OpenSSL's on random scalars
// and random public points, on both curves.
TEST(Gost3410, EngineDoubleMultiplicationMatchesOpenSsl) {
  for (auto id : {gost::CurveId::Tc26_512_A, gost::CurveId::Tc26_256_A}) {
    const auto& curve = gost::Curve::get(id);
    auto ctx = make_unique_ptr<BN_CTX_free>(BN_CTX_new());
    for (int i = 0; i < 40; ++i) {
      auto z1 = curve.random_scalar(), z2 = curve.random_scalar(), d = curve.random_scalar();
      auto q = curve.public_point(d.get());
      gost::PointPtr fast(EC_POINT_new(curve.group())), reference(EC_POINT_new(curve.group()));
      ASSERT_TRUE(curve.double_mul(fast.get(), z1.get(), q.get(), z2.get(), ctx.get()));
      ASSERT_EQ(EC_POINT_mul(curve.group(), reference.get(), z1.get(), q.get(), z2.get(), ctx.get()), 1);
      EXPECT_EQ(EC_POINT_cmp(curve.group(), fast.get(), reference.get(), ctx.get()), 0) << i;
    }
  }
}

// Signatures from the fast fixed base verify through the fast double
// multiplication, and a changed message or signature never does.
TEST(Gost3410, FastPathSignaturesVerifyAndForgeriesDoNot) {
  for (auto algorithm : {KeyAlgorithm::Gost2015_512, KeyAlgorithm::Gost2015_256}) {
    const auto key = generate_key(algorithm);
    const auto pub = key.public_key();
    const auto signature_algorithm = key.default_signature();
    for (int i = 0; i < 25; ++i) {
      const std::string message = "message " + std::to_string(i);
      Bytes sig = key.sign(signature_algorithm, as_bytes(message));
      ASSERT_TRUE(pub.verify(signature_algorithm, as_bytes(message), sig)) << i;
      EXPECT_FALSE(pub.verify(signature_algorithm, as_bytes(message + "."), sig)) << i;
      sig[static_cast<std::size_t>(i) % sig.size()] ^= 0x01;
      EXPECT_FALSE(pub.verify(signature_algorithm, as_bytes(message), sig)) << i;
    }
  }
}
