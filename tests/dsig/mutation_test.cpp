// Damaged input never crashes or throws out of verification: random byte
// changes to a signed XML and to a CMS always give a report.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "qujat/common/bytes.h"
#include "qujat/dsig/cms.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/pki/test_pki.h"
#include "support/nca_material.h"
#include "support/self_signed.h"

namespace qujat::dsig {
namespace {

TEST(Mutation, SignedXmlSurvivesRandomByteChanges) {
  Bytes original = read_file((test::source_dir() / "tests/dsig/data/gost2015-self-signed-application.xml").string());
  std::mt19937 rng(20260101);
  VerifyOptions options;
  options.at = parse_instant("2025-01-01T00:00:00Z");
  options.require_trusted_chain = false;  // a self-signed fixture: the question is the XML and the math
  ASSERT_TRUE(verify_xml(as_chars(original), options).valid);
  int still_valid = 0;
  for (int i = 0; i < 150; ++i) {
    Bytes b = original;
    std::uniform_int_distribution<std::size_t> pos(0, b.size() - 1);
    b[pos(rng)] = static_cast<std::uint8_t>(rng() & 0xFF);
    VerificationReport r;
    ASSERT_NO_THROW(r = verify_xml(as_chars(b), options));
    still_valid += r.valid ? 1 : 0;
    if (!r.valid) {
      EXPECT_TRUE(!r.errors.empty() || !r.signatures.empty());
    }
  }
  EXPECT_LT(still_valid, 20);  // only changes to insignificant syntax can keep it valid
}

TEST(Mutation, CmsSurvivesRandomByteChanges) {
  const pki::KeyStore ks = test::self_signed_signer(pki::KeyAlgorithm::Rsa, "MUTATION");
  const std::string content = "mutation content";
  Bytes cms = cms_sign(as_bytes(content), ks);
  Bytes signature = cms_signature_value(cms);
  auto find = [&](ByteView needle) {
    return static_cast<std::size_t>(std::search(cms.begin(), cms.end(), needle.begin(), needle.end()) - cms.begin());
  };
  const std::size_t content_at = find(as_bytes(content));
  const std::size_t signature_at = find(signature);
  std::mt19937 rng(7);
  VerifyOptions options;
  options.at = parse_instant("2025-01-01T00:00:00Z");
  options.trust.add_anchor(ks.certificate);
  ASSERT_TRUE(verify_cms(cms, std::nullopt, options).valid);
  for (int i = 0; i < 300; ++i) {
    Bytes b = cms;
    std::uniform_int_distribution<std::size_t> pos(0, b.size() - 1);
    const std::size_t at = pos(rng);
    b[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    VerificationReport r;
    ASSERT_NO_THROW(r = verify_cms(b, std::nullopt, options));
    // Some bytes are not signed (digestAlgorithms) or are re-encoded
    // to the same DER; a flip in the content or the signature value never passes.
    const bool in_content = at >= content_at && at < content_at + content.size();
    const bool in_signature = at >= signature_at && at < signature_at + signature.size();
    if (in_content || in_signature) {
      EXPECT_FALSE(r.valid) << "bit flip at byte " << at;
    }
  }
  for (std::size_t at : {content_at, content_at + content.size() - 1, signature_at, signature_at + signature.size() - 1}) {
    Bytes b = cms;
    b[at] ^= 0x01;
    EXPECT_FALSE(verify_cms(b, std::nullopt, options).valid) << at;
  }
}

}  // namespace
}  // namespace qujat::dsig
