// The project's own test PKI, generated into a temporary directory: it must
// look to qujat exactly like NCA material does (self-contained, no ../shared).
#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <openssl/rand.h>

#include <filesystem>

#include "pki/key_impl.h"
#include "qujat/common/error.h"
#include "qujat/pki/chain.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/revocation.h"
#include "qujat/pki/test_pki.h"

using namespace qujat;
using namespace qujat::pki;

namespace {

// One generated PKI for the whole suite (RSA key generation is slow).
class GeneratedPki : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Bytes random(12);
    RAND_bytes(random.data(), static_cast<int>(random.size()));
    password_ = new std::string("Tp" + hex_encode(random) + "9");  // made per run, never stored
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("qujat-test-pki-" + hex_encode(random).substr(0, 8)));
    pki_ = new TestPki(make_test_pki(dir_->string(), *password_));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete pki_;
    delete dir_;
    delete password_;
  }
  static std::string* password_;
  static std::filesystem::path* dir_;
  static TestPki* pki_;
};
std::string* GeneratedPki::password_ = nullptr;
std::filesystem::path* GeneratedPki::dir_ = nullptr;
TestPki* GeneratedPki::pki_ = nullptr;

bool has_role(const Identity& id, Role r) { return std::find(id.roles.begin(), id.roles.end(), r) != id.roles.end(); }

}  // namespace

TEST(CheckDigit, IinAndBin) {
  EXPECT_TRUE(has_valid_check_digit(*with_check_digit("90010130001")));
  const std::string good = *with_check_digit("90010130001");
  std::string bad = good;
  bad[11] = static_cast<char>(bad[11] == '0' ? '1' : '0');
  EXPECT_FALSE(has_valid_check_digit(bad));
  EXPECT_FALSE(has_valid_check_digit("12345"));
}

TEST_F(GeneratedPki, KeyStoresLoadBackWithIdentities) {
  for (const TestPkiFamily* family : {&pki_->gost, &pki_->rsa}) {
    const auto individual = load_pkcs12(family->keys.at("individual"), *password_);
    const auto id = individual.certificate.identity();
    EXPECT_TRUE(has_valid_check_digit(id.iin)) << id.iin;
    EXPECT_TRUE(id.bin.empty());
    EXPECT_TRUE(has_role(id, Role::Individual));
    EXPECT_TRUE(id.signing_key);
    EXPECT_EQ(id.country, "KZ");
    EXPECT_EQ(individual.chain.size(), 1u);

    const auto head = load_pkcs12(family->keys.at("first_head"), *password_).certificate.identity();
    EXPECT_TRUE(has_valid_check_digit(head.bin)) << head.bin;
    EXPECT_TRUE(has_role(head, Role::FirstHead));
    EXPECT_FALSE(head.organization.empty());

    const auto officer = load_pkcs12(family->keys.at("officer"), *password_).certificate.identity();
    EXPECT_TRUE(has_role(officer, Role::AuthorisedSignatory));
    EXPECT_FALSE(officer.bin.empty());
  }
  EXPECT_EQ(load_pkcs12(pki_->gost.keys.at("individual"), *password_).key.algorithm(), KeyAlgorithm::Gost2015_512);
  EXPECT_EQ(load_pkcs12(pki_->rsa.keys.at("individual"), *password_).key.algorithm(), KeyAlgorithm::Rsa);
}

TEST_F(GeneratedPki, GeneratedGostCertificateLooksLikeNcas) {
  const auto cert = Certificate::from_file(pki_->gost.certificates.at("individual"));
  EXPECT_EQ(cert.key_algorithm(), KeyAlgorithm::Gost2015_512);
  EXPECT_EQ(cert.signature_algorithm(), SignatureAlgorithm::Gost2015_512);
  EXPECT_FALSE(cert.crl_urls().empty());
  EXPECT_FALSE(cert.ocsp_urls().empty());
  EXPECT_EQ(cert.policies(), std::vector<std::string>{"1.2.398.3.3.2"});
}

TEST_F(GeneratedPki, KeysSignAndCertificatesVerify) {
  for (const TestPkiFamily* family : {&pki_->gost, &pki_->rsa}) {
    const auto ks = load_pkcs12(family->keys.at("first_head"), *password_);
    const auto alg = ks.key.default_signature();
    const Bytes sig = ks.key.sign(alg, as_bytes("licence"));
    EXPECT_TRUE(ks.certificate.public_key().verify(alg, as_bytes("licence"), sig));
  }
}

TEST_F(GeneratedPki, ChainsReachTheRootsNowAndExpireLater) {
  TrustStore store;
  store.add_anchors_from(pki_->trust_dir);
  ASSERT_EQ(store.anchors().size(), 2u);
  for (const TestPkiFamily* family : {&pki_->gost, &pki_->rsa}) {
    const auto ks = load_pkcs12(family->keys.at("individual"), *password_);
    const auto r = verify_chain(ks.certificate, store, now_utc(), ks.chain);
    EXPECT_TRUE(r.trusted) << (r.errors.empty() ? "" : r.errors[0]);
    EXPECT_EQ(r.path.size(), 3u);
    EXPECT_EQ(r.time, TimeStatus::WithinValidity);
    const auto late = verify_chain(ks.certificate, store, now_utc() + std::chrono::days(400), ks.chain);
    EXPECT_EQ(late.time, TimeStatus::Expired);
    // Without the intermediate there is no path.
    EXPECT_FALSE(verify_chain(ks.certificate, store, now_utc()).trusted);
  }
}

TEST_F(GeneratedPki, CrlRevokesOnlyTheRevokedKey) {
  for (const TestPkiFamily* family : {&pki_->gost, &pki_->rsa}) {
    RevocationChecker checker;
    checker.add_crl_file(family->crl);
    const auto ca = Certificate::from_file(family->ca);
    const auto revoked = Certificate::from_file(family->certificates.at("revoked"));
    const auto r = checker.check(revoked, ca, now_utc());
    EXPECT_EQ(r.status, RevocationStatus::Revoked) << (r.errors.empty() ? "" : r.errors[0]);
    EXPECT_EQ(r.reason, "keyCompromise");
    const auto good = checker.check(Certificate::from_file(family->certificates.at("individual")), ca, now_utc());
    EXPECT_EQ(good.status, RevocationStatus::Good) << (good.errors.empty() ? "" : good.errors[0]);
    // Before the revocation time, signatures of the revoked key stand.
    EXPECT_EQ(checker.check(revoked, ca, now_utc() - std::chrono::hours(3)).status, RevocationStatus::Good);
  }
}

TEST_F(GeneratedPki, WrongPassword) {
  try {
    load_pkcs12(pki_->gost.keys.at("individual"), *password_ + "x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "pkcs12.wrong_password");
  }
}

namespace {
// An OCSP response about `subject` saying "good", signed by `signer` (with the
// signer's certificate included), written to a file for the checker.
std::string write_good_ocsp(const std::filesystem::path& dir, const Certificate& subject, const Certificate& issuer,
                            const Certificate& signer, const PrivateKey& signer_key) {
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), subject.native(), issuer.native());
  OCSP_BASICRESP* basic = OCSP_BASICRESP_new();
  ASN1_TIME* now = ASN1_TIME_set(nullptr, time(nullptr));
  OCSP_basic_add1_status(basic, id, V_OCSP_CERTSTATUS_GOOD, 0, nullptr, now, nullptr);
  OCSP_basic_sign(basic, signer.native(), signer_key.impl().rsa.get(), EVP_sha256(), nullptr, 0);
  OCSP_RESPONSE* response = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic);
  unsigned char* buf = nullptr;
  const int len = i2d_OCSP_RESPONSE(response, &buf);
  const auto path = (dir / "forged.ocsp").string();
  write_file(path, ByteView(buf, static_cast<std::size_t>(len)));
  OPENSSL_free(buf);
  OCSP_RESPONSE_free(response);
  OCSP_BASICRESP_free(basic);
  OCSP_CERTID_free(id);
  ASN1_TIME_free(now);
  return path;
}
}  // namespace

TEST_F(GeneratedPki, OcspSignedByAHolderIsNotBelievedButByTheCaIs) {
  const auto ca = Certificate::from_file(pki_->rsa.ca);
  const auto revoked = Certificate::from_file(pki_->rsa.certificates.at("revoked"));
  // The holder of another key of the same CA claims the revoked key is good.
  const auto holder = load_pkcs12(pki_->rsa.keys.at("individual"), *password_);
  RevocationChecker forged;
  forged.add_ocsp_response_file(write_good_ocsp(*dir_, revoked, ca, holder.certificate, holder.key));
  forged.add_crl_file(pki_->rsa.crl);
  const auto r = forged.check(revoked, ca, now_utc());
  EXPECT_EQ(r.status, RevocationStatus::Revoked);  // the CRL decides; the forged answer is set aside
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("OCSP response signature"), std::string::npos) << r.errors[0];
}

TEST(GeneratedCrl, DeltaRevokesAndLiftsAHoldPemToo) {
  using namespace std::chrono;
  const Instant now = now_utc();
  const auto ca_key = generate_key(KeyAlgorithm::Gost2015_512);
  CertificateRequest req;
  req.subject = {{"CN", "DELTA TEST CA"}, {"C", "KZ"}};
  req.not_before = now - hours(1);
  req.not_after = now + days(30);
  req.ca = true;
  req.key_usage = "critical,keyCertSign,cRLSign";
  const auto ca = issue_certificate(req, ca_key.public_key(), nullptr, ca_key);
  const auto holder_key = generate_key(KeyAlgorithm::Gost2015_512);
  req.subject = {{"CN", "HOLDER"}, {"C", "KZ"}};
  req.ca = false;
  req.key_usage = "critical,digitalSignature,nonRepudiation";
  const auto holder = issue_certificate(req, holder_key.public_key(), &ca, ca_key);

  const auto dir = std::filesystem::temp_directory_path() / ("qujat-delta-" + holder.serial_hex().substr(0, 8));
  std::filesystem::create_directories(dir);
  const auto full = (dir / "full.crl").string();
  const auto delta = (dir / "delta.pem").string();
  const auto lifted = (dir / "lifted.crl").string();
  write_file(full, issue_crl(ca, ca_key, now - hours(1), now + days(1), {}, 1));
  const Bytes delta_der =
      issue_crl(ca, ca_key, now - minutes(30), now + days(1), {{holder.serial_hex(), now - minutes(40), 6}}, 2, 1);
  const std::string pem =
      "-----BEGIN X509 CRL-----\n" + base64_encode_wrapped(delta_der, 64, "\n") + "\n-----END X509 CRL-----\n";
  write_file(delta, as_bytes(pem));
  write_file(lifted, issue_crl(ca, ca_key, now - minutes(10), now + days(1),
                               {{holder.serial_hex(), now - minutes(10), 8}}, 3, 1));

  RevocationChecker base_only;
  base_only.add_crl_file(full);
  EXPECT_EQ(base_only.check(holder, ca, now).status, RevocationStatus::Good);

  RevocationChecker with_delta;
  with_delta.add_crl_file(full);
  with_delta.add_crl_file(delta);
  const auto r = with_delta.check(holder, ca, now);
  EXPECT_EQ(r.status, RevocationStatus::Revoked);
  EXPECT_EQ(r.reason, "certificateHold");

  RevocationChecker hold_lifted;
  hold_lifted.add_crl_file(full);
  hold_lifted.add_crl_file(delta);
  hold_lifted.add_crl_file(lifted);
  EXPECT_EQ(hold_lifted.check(holder, ca, now).status, RevocationStatus::Good);

  // A CRL signed by another key is not believed.
  RevocationChecker forged;
  const auto other_key = generate_key(KeyAlgorithm::Gost2015_512);
  write_file((dir / "forged.crl").string(),
             issue_crl(ca, other_key, now - hours(1), now + days(1), {{holder.serial_hex(), now - hours(1), 1}}));
  forged.add_crl_file((dir / "forged.crl").string());
  const auto f = forged.check(holder, ca, now);
  EXPECT_NE(f.status, RevocationStatus::Revoked);
  EXPECT_FALSE(f.errors.empty());
  std::filesystem::remove_all(dir);
}
