// EDS login (API.md): a nonce signed by an NCA key of the test PKI (RSA or
// GOST, signing or authentication key, CMS or XMLDSig) gives a token bound
// to the IIN, BIN and roles; a replayed, unknown or expired nonce, a CMS
// whose content is not a nonce, an untrusted or a revoked certificate: 401.
#include <gtest/gtest.h>

#include "api/served_office.h"
#include "qujat/dsig/xmldsig.h"
#include "support/self_signed.h"

namespace qujat::test {
namespace {

class ServiceLogin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { office_ = new ServedOffice(); }
  static void TearDownTestSuite() {
    delete office_;
    office_ = nullptr;
  }
  std::string nonce() const {
    return office_->post("/api/v1/auth/challenge", nlohmann::json::object()).json()["nonce"];
  }
  Reply token_for(const Bytes& cms) const { return office_->post("/api/v1/auth/token", {{"cms", base64_encode(cms)}}); }
  static ServedOffice* office_;
};
ServedOffice* ServiceLogin::office_ = nullptr;

TEST_F(ServiceLogin, AChallengeIsANonceForAtMostFiveMinutes) {
  const auto c = office_->post("/api/v1/auth/challenge", nlohmann::json::object()).json();
  EXPECT_EQ(c["nonce"].get<std::string>().size(), 64u);
  EXPECT_EQ(c["expires_at"], "2026-03-20T10:05:00+05:00");
}

TEST_F(ServiceLogin, EveryKindOfNcaKeySignsIn) {
  for (const bool gost : {false, true})
    for (const auto* who : {"individual", "individual_auth", "first_head", "officer"}) {
      const auto& key = api_key(who, gost);
      const auto reply = token_for(ServedOffice::sign_nonce(nonce(), key));
      ASSERT_EQ(reply.status, 200) << who << (gost ? " gost " : " rsa ") << reply.body;
      const auto subject = reply.json()["subject"];
      EXPECT_EQ(subject["iin"], key.certificate.identity().iin);
      EXPECT_EQ(subject["bin"], key.certificate.identity().bin);
      const auto roles = subject["roles"];
      const bool officer = std::string(who) == "officer";
      EXPECT_EQ(std::find(roles.begin(), roles.end(), "officer") != roles.end(), officer) << roles;
      EXPECT_EQ(std::find(roles.begin(), roles.end(), "applicant") != roles.end(), !officer) << roles;
      const auto me = office_->get("/api/v1/me", reply.json()["token"]);
      EXPECT_EQ(me.json()["iin"], key.certificate.identity().iin);
    }
}

TEST_F(ServiceLogin, AnXmlSignedLoginSignsIn) {
  const std::string xml = "<login><nonce>" + nonce() + "</nonce></login>";
  const auto signed_xml = dsig::sign_xml(xml, api_key("individual", true));
  const auto reply = office_->post("/api/v1/auth/token", {{"xml", signed_xml}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["subject"]["iin"], api_key("individual", true).certificate.identity().iin);
}

TEST_F(ServiceLogin, AReplayedNonceIs401) {
  const auto cms = ServedOffice::sign_nonce(nonce(), api_key("individual"));
  ASSERT_EQ(token_for(cms).status, 200);
  const auto again = token_for(cms);
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(again.json()["error"]["code"], "auth.nonce_used");
}

TEST_F(ServiceLogin, AContentThatIsNotTheNonceIs401) {
  auto reply = token_for(ServedOffice::sign_nonce("hello, let me in", api_key("individual")));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json()["error"]["code"], "auth.nonce_unknown");
  reply = token_for(ServedOffice::sign_nonce(std::string(64, 'a'), api_key("individual")));  // never issued
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json()["error"]["code"], "auth.nonce_unknown");
}

TEST_F(ServiceLogin, AnUntrustedOrRevokedCertificateIs401AndSpendsNoNonce) {
  const auto n = nonce();
  const auto self_made = self_signed_signer(pki::KeyAlgorithm::Rsa, "IMPOSTOR");
  auto reply = token_for(ServedOffice::sign_nonce(n, self_made));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json()["error"]["code"], "auth.signature_rejected");
  // The nonce is still good for its rightful owner.
  EXPECT_EQ(token_for(ServedOffice::sign_nonce(n, api_key("individual"))).status, 200);
}

TEST_F(ServiceLogin, ABodyThatIsNotALoginIs4xx) {
  EXPECT_EQ(office_->post("/api/v1/auth/token", nlohmann::json::object()).status, 422);
  EXPECT_EQ(office_->post("/api/v1/auth/token", {{"cms", "%%%"}}).status, 422);
  EXPECT_EQ(office_->post("/api/v1/auth/token", {{"cms", base64_encode(as_bytes("not a cms"))}}).status, 401);
  EXPECT_EQ(office_->request("POST", "/api/v1/auth/token", "{\"cms\": ", "").status, 400);
  EXPECT_EQ(office_->request("POST", "/api/v1/auth/token", "cms=x", "", "application/x-www-form-urlencoded").status,
            415);
}

}  // namespace
}  // namespace qujat::test
