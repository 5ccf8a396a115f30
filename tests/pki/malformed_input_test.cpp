// Certificates, CRLs, OCSP answers and key stores arrive from outside (inside
// signed documents): damaged bytes must end in a qujat::Error or a "not
// valid" answer, never a crash. Deterministic mutations of generated material.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "qujat/common/error.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/revocation.h"
#include "qujat/pki/test_pki.h"

using namespace qujat;
using namespace qujat::pki;

namespace {

struct Material {
  PrivateKey ca_key;
  Certificate ca;
  PrivateKey key;
  Certificate cert;
};

const Material& material() {
  static const Material m = [] {
    using namespace std::chrono;
    const Instant now = now_utc();
    auto ca_key = generate_key(KeyAlgorithm::Gost2015_512);
    CertificateRequest req;
    req.subject = {{"CN", "FUZZ CA"}, {"C", "KZ"}};
    req.not_before = now - hours(1);
    req.not_after = now + days(1);
    req.ca = true;
    req.key_usage = "critical,keyCertSign,cRLSign";
    auto ca = issue_certificate(req, ca_key.public_key(), nullptr, ca_key);
    auto key = generate_key(KeyAlgorithm::Gost2015_512);
    req.subject = {{"CN", "FUZZ"}, {"serialNumber", "IIN900101300017"}, {"OU", "BIN120340000054"}, {"C", "KZ"}};
    req.ca = false;
    req.extended_key_usage = {"emailProtection", "1.2.398.3.3.4.1.2.1"};
    req.crl_url = "http://qujat.test/fuzz.crl";
    auto cert = issue_certificate(req, key.public_key(), &ca, ca_key);
    return Material{std::move(ca_key), ca, std::move(key), cert};
  }();
  return m;
}

Bytes mutate(const Bytes& in, std::mt19937& rng) {
  Bytes out = in;
  std::uniform_int_distribution<std::size_t> pos(0, out.size() - 1);
  switch (rng() % 4) {
    case 0:
      out[pos(rng)] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
      break;
    case 1:
      out[pos(rng)] = static_cast<std::uint8_t>(rng());
      break;
    case 2:
      out.resize(pos(rng));
      break;
    default:
      for (int i = 0; i < 4; ++i) out[pos(rng)] = static_cast<std::uint8_t>(rng());
  }
  return out;
}

}  // namespace

TEST(MalformedInput, DamagedCertificatesNeverCrash) {
  const auto& m = material();
  const Bytes der = m.cert.der();
  std::mt19937 rng(20240428);
  int parsed = 0, rejected = 0;
  for (int i = 0; i < 1500; ++i) {
    const Bytes bad = mutate(der, rng);
    try {
      const auto c = Certificate::from_der(bad);
      ++parsed;
      (void)c.identity();
      (void)c.crl_urls();
      (void)c.subject();
      // A changed signed part or signature must not verify (unchanged bytes may).
      if (bad != der && bad.size() == der.size() && c.is_signed_by(m.ca)) {
        EXPECT_EQ(c.der(), der) << "a damaged certificate verified at iteration " << i;
      }
    } catch (const Error&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_GT(parsed, 0);
}

TEST(MalformedInput, DamagedSpkiAndSignatures) {
  const auto& m = material();
  const Bytes spki = m.cert.public_key().spki_der();
  const Bytes sig = m.key.sign(SignatureAlgorithm::Gost2015_512, as_bytes("x"));
  std::mt19937 rng(7091);
  for (int i = 0; i < 500; ++i) {
    try {
      (void)PublicKey::from_spki_der(mutate(spki, rng));
    } catch (const Error&) {
    }
    const Bytes bad = mutate(sig, rng);
    if (bad != sig) {
      EXPECT_FALSE(m.cert.public_key().verify(SignatureAlgorithm::Gost2015_512, as_bytes("x"), bad));
    }
  }
}

TEST(MalformedInput, DamagedCrlsOcspAndKeyStores) {
  const auto& m = material();
  const Instant now = now_utc();
  const Bytes crl = issue_crl(m.ca, m.ca_key, now - std::chrono::hours(1), now + std::chrono::days(1),
                              {{m.cert.serial_hex(), now - std::chrono::minutes(1), 1}});
  const Bytes p12 = write_pkcs12(m.key, m.cert, {m.ca}, "Fuzz1234");
  const auto dir = std::filesystem::temp_directory_path() / ("qujat-fuzz-" + m.cert.serial_hex().substr(0, 8));
  std::filesystem::create_directories(dir);
  std::mt19937 rng(6986);
  for (int i = 0; i < 300; ++i) {
    const auto path = (dir / "bad.crl").string();
    const Bytes bad = mutate(crl, rng);
    write_file(path, bad);
    try {
      RevocationChecker checker;
      checker.add_crl_file(path);
      const auto r = checker.check(m.cert, m.ca, now);
      if (bad != crl && r.status == RevocationStatus::Good) {
        ADD_FAILURE() << "a damaged CRL was believed to say good at iteration " << i;
      }
    } catch (const Error&) {
    }
    try {
      (void)parse_ocsp_response(mutate(crl, rng));  // not even an OCSP response
    } catch (const Error&) {
    }
    try {
      (void)load_pkcs12(mutate(p12, rng), "Fuzz1234");
    } catch (const Error&) {
    }
  }
  std::filesystem::remove_all(dir);
}
