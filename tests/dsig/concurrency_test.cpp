// The service verifies many files at once: verify_xml, verify_cms and
// sign_xml share xmlsec, libxml2, OpenSSL providers and the certificate cache
// between threads. Several threads doing both at the same time must each get
// exactly the answer one thread alone gets.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "qujat/common/bytes.h"
#include "qujat/dsig/cms.h"
#include "qujat/dsig/xmldsig.h"
#include "support/self_signed.h"

namespace qujat::dsig {
namespace {

TEST(Concurrency, ThreadsSigningAndVerifyingGetTheSingleThreadAnswers) {
  const pki::KeyStore gost = test::self_signed_signer(pki::KeyAlgorithm::Gost2015_512, "THREAD GOST");
  const pki::KeyStore rsa = test::self_signed_signer(pki::KeyAlgorithm::Rsa, "THREAD RSA");
  VerifyOptions options;
  options.at = parse_instant("2025-01-01T00:00:00Z");
  options.trust.add_anchor(gost.certificate);
  options.trust.add_anchor(rsa.certificate);

  const std::string document = "<application><applicant>ТОО Ағын</applicant></application>";
  const std::string cosigned = sign_xml(sign_xml(document, rsa), gost);
  std::string tampered = cosigned;
  tampered.replace(tampered.find("Ағын"), std::string("Ағын").size(), "Агын");
  const Bytes cms = cms_sign(as_bytes(document), gost);
  ASSERT_TRUE(verify_xml(cosigned, options).valid);
  ASSERT_FALSE(verify_xml(tampered, options).valid);
  ASSERT_TRUE(verify_cms(cms, std::nullopt, options).valid);

  constexpr int kThreads = 6;
  constexpr int kRounds = 12;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        if (!verify_xml(cosigned, options).valid) ++wrong;
        if (verify_xml(tampered, options).valid) ++wrong;
        if (!verify_cms(cms, std::nullopt, options).valid) ++wrong;
        // Every few rounds a thread also signs, as the service does while others verify.
        if ((i + t) % 4 == 0 && !verify_xml(sign_xml(document, t % 2 ? rsa : gost), options).valid) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace qujat::dsig
