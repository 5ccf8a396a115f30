// The NCA RK production CA certificates shipped in certs/nca/ (the default
// trust of qujat verify): the files certs/README.md lists with their SHA-256,
// every issuer's signature (GOST 2015, RSA and the legacy GOST 2004 ones),
// and a real production certificate reaching them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "qujat/common/bytes.h"
#include "qujat/pki/chain.h"
#include "qujat/pki/digest.h"
#include "support/nca_material.h"

using namespace qujat;
using namespace qujat::pki;

namespace {

std::filesystem::path shipped() { return qujat::test::source_dir() / "certs" / "nca"; }
Certificate cert(const char* file) { return Certificate::from_file((shipped() / file).string()); }
Instant at(const char* iso) { return *parse_instant(iso); }

TEST(NcaProduction, EveryShippedFileHasTheFingerprintTheReadmeLists) {
  std::ifstream readme(qujat::test::source_dir() / "certs" / "README.md");
  ASSERT_TRUE(readme);
  const std::regex row(R"(^\| ([a-z0-9_]+\.pem) \|.*\| ([0-9A-F]{64}) \|$)");
  int listed = 0;
  for (std::string line; std::getline(readme, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    ++listed;
    const auto c = Certificate::from_file((shipped() / m[1].str()).string());
    EXPECT_EQ(hex_encode(digest(DigestAlgorithm::Sha256, c.der()), true), m[2].str()) << m[1];
  }
  EXPECT_EQ(listed, 8);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shipped())) files += entry.path().extension() == ".pem";
  EXPECT_EQ(files, listed);
}

TEST(NcaProduction, EachIssuingCaIsSignedByItsRoot) {
  EXPECT_TRUE(cert("root_gost_2022.pem").is_signed_by(cert("root_gost_2022.pem")));
  EXPECT_TRUE(cert("nca_gost_2022.pem").is_signed_by(cert("root_gost_2022.pem")));
  EXPECT_TRUE(cert("root_rsa_2020.pem").is_signed_by(cert("root_rsa_2020.pem")));
  EXPECT_TRUE(cert("nca_rsa_2022.pem").is_signed_by(cert("root_rsa_2020.pem")));
  EXPECT_TRUE(cert("nca_rsa.pem").is_signed_by(cert("root_rsa.pem")));
  // The expired 2015/2018 GOST generation: GOST 34.310-2004 over 34.311-95.
  EXPECT_EQ(cert("root_gost.pem").key_algorithm(), KeyAlgorithm::Gost2004);
  EXPECT_TRUE(cert("root_gost.pem").is_signed_by(cert("root_gost.pem")));
  EXPECT_TRUE(cert("nca_gost.pem").is_signed_by(cert("root_gost.pem")));
  EXPECT_FALSE(cert("nca_gost_2022.pem").is_signed_by(cert("root_gost.pem")));
}

// NCA's production time-stamping certificate (tests/data/nca-prod): trusted
// by the shipped store as of a time in its validity, through the issuing CA.
TEST(NcaProduction, AProductionCertificateIsTrustedByTheShippedStore) {
  TrustStore store;
  store.add_anchors_from(shipped().string());
  EXPECT_EQ(store.anchors().size(), 8u);
  const auto tsa = Certificate::from_file(
      (qujat::test::source_dir() / "tests" / "data" / "nca-prod" / "tsa_rsa_2022_evidence.pem").string());
  const auto r = verify_chain(tsa, store, at("2026-01-01T00:00:00Z"));
  EXPECT_TRUE(r.trusted) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.path.size(), 2u);
  EXPECT_TRUE(r.path[1].same_as(cert("nca_rsa_2022.pem")));
}

TEST(NcaProduction, TheShippedFolderIsFoundNextToTheProgramOrInTheSourceTree) {
  // An installed layout: <prefix>/bin/qujat and <prefix>/share/qujat/certs/nca.
  const auto prefix = qujat::test::build_root() / ("qujat-prefix-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(prefix);
  std::filesystem::create_directories(prefix / "share" / "qujat" / "certs" / "nca");
  std::filesystem::copy_file(shipped() / "root_rsa_2020.pem",
                             prefix / "share" / "qujat" / "certs" / "nca" / "root.pem");
  const auto installed = shipped_nca_certificates(prefix / "bin" / "qujat");
  ASSERT_TRUE(installed);
  EXPECT_TRUE(std::filesystem::equivalent(*installed, prefix / "share" / "qujat" / "certs" / "nca"));
  std::filesystem::remove_all(prefix);

  // Run from its build folder (and not installed system-wide): the source tree.
  if (!std::filesystem::exists("/usr/share/qujat/certs/nca")) {
    const auto found = shipped_nca_certificates("/nonexistent/bin/qujat");
    ASSERT_TRUE(found);
    EXPECT_TRUE(std::filesystem::equivalent(*found, shipped())) << *found;
  }
}

}  // namespace
