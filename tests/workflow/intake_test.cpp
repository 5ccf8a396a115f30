// Signed intake: an application is registered only when signed by the
// applicant with a valid, trusted, current, unrevoked signing key, with every
// file matching its SHA-256; a refused one leaves nothing but the audited
// attempt.
#include <gtest/gtest.h>

#include <algorithm>

#include "qujat/store/audit.h"
#include "workflow/office_fixture.h"

namespace qujat::test {
namespace {

class Intake : public OfficeTest {
 protected:
  // The code the submission is refused with ("" when registered).
  std::string refused(const Bytes& cms, const std::map<std::string, Bytes>& files,
                      const std::optional<workflow::Actor>& submitter = std::nullopt) {
    try {
      workflow::Intake(*office_).submit({cms, files}, submitter);
    } catch (const workflow::ProcedureError& e) {
      EXPECT_FALSE(e.message().kk.empty()) << e.code();
      EXPECT_FALSE(e.message().ru.empty()) << e.code();
      return e.code();
    }
    return "";
  }
  std::string refused(const Package& p, const pki::KeyStore& key) {
    return refused(sign(p.application, key, clock_->now()), p.files);
  }

  // Nothing but audited attempts: no application, file, event or document.
  void expect_only_attempts(std::int64_t attempts) {
    EXPECT_EQ(count("SELECT COUNT(*) FROM applications"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application_files"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application_events"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'intake.refused'"), attempts);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), attempts);
    EXPECT_TRUE(store::AuditLog::verify(*database_).intact);
  }

  Package individual_package() {
    auto p = export_package();
    p.application["applicant"] = {{"type", "individual"},
                                  {"iin", key_iin("individual")},
                                  {"name", "Құжатов Санжар Тестұлы"},
                                  {"country", "KZ"},
                                  {"address", {{"kk", "Астана қ., Сарайшық к., 5"}, {"ru", "г. Астана, ул. Сарайшык, 5"}}},
                                  {"phone", "+7 701 000 00 00"},
                                  {"email", "sanzhar@example.kz"}};
    return p;
  }
};

TEST_P(Intake, TheApplicantsSignatureRegistersIt) {
  check_revocation();
  const auto p = export_package();
  EXPECT_EQ(refused(p, test_key("first_head")), "");
  EXPECT_EQ(refused(individual_package(), test_key("individual")), "");
  EXPECT_EQ(refused(p, test_key("first_head", /*gost=*/true)), "");
  EXPECT_EQ(count("SELECT COUNT(*) FROM applications"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM application_files"), static_cast<std::int64_t>(3 * p.files.size()));
}

TEST_P(Intake, SomeoneElsesSignatureIsRefused) {
  const auto p = export_package();
  EXPECT_EQ(refused(p, test_key("individual")), "signer.not_applicant");  // a person, not the company
  EXPECT_EQ(refused(p, test_key("employee")), "signer.not_applicant");    // the company's, without signing authority
  EXPECT_EQ(refused(p, test_key("end_user_head")), "signer.not_applicant");  // another company's head
  expect_only_attempts(3);
}

TEST_P(Intake, AnAuthenticationKeyIsRefused) {
  EXPECT_EQ(refused(individual_package(), test_key("individual_auth")), "signature.authentication_key");
  expect_only_attempts(1);
}

TEST_P(Intake, ARevokedCertificateIsRefused) {
  check_revocation();
  auto p = individual_package();
  p.application["applicant"]["iin"] = key_iin("revoked");
  EXPECT_EQ(refused(p, test_key("revoked")), "signature.revoked");
  expect_only_attempts(1);
}

TEST_P(Intake, WithoutACurrentCrlRevocationIsNotProven) {
  check_revocation();
  at("2026-06-01T10:00:00+05:00");  // the CRLs of check_revocation() ran out a week after 20 March
  EXPECT_EQ(refused(export_package(), test_key("first_head")), "signature.revocation_unknown");
  expect_only_attempts(1);
}

TEST_P(Intake, AnExpiredCertificateIsRefused) {
  at("2027-03-10T10:00:00+05:00");  // the test PKI's certificates ran out on 28 February 2027
  EXPECT_EQ(refused(export_package(), test_key("first_head")), "signature.certificate_expired");
  expect_only_attempts(1);
}

TEST_P(Intake, AnUntrustedCertificateIsRefused) {
  office_->signatures.trust = pki::TrustStore{};
  office_->signatures.trust.add_anchors_from(procedure_pki().gost.root);  // the RSA root is not trusted
  EXPECT_EQ(refused(export_package(), test_key("first_head")), "signature.untrusted");
  expect_only_attempts(1);
}

TEST_P(Intake, AFileThatDoesNotMatchItsSha256IsRefused) {
  auto p = export_package();
  p.files.begin()->second.push_back('!');
  EXPECT_EQ(refused(p, test_key("first_head")), "attachment.sha256_mismatch");
  p = export_package();
  p.files.erase(p.files.begin());
  EXPECT_EQ(refused(p, test_key("first_head")), "attachment.file_missing");
  p = export_package();
  const std::string extra = "an unnamed file";
  p.files[sha256_hex(as_bytes(extra))] = Bytes(extra.begin(), extra.end());
  EXPECT_EQ(refused(p, test_key("first_head")), "attachment.not_named");
  expect_only_attempts(3);
}

TEST_P(Intake, AChangedApplicationOrGarbageIsRefused) {
  const auto p = export_package();
  auto cms = sign(p.application, test_key("first_head"), clock_->now());
  // One byte of the signed JSON changed: the digest no longer matches.
  const std::string needle = "Rohde";
  auto at = std::search(cms.begin(), cms.end(), needle.begin(), needle.end());
  ASSERT_NE(at, cms.end());
  *at = 'X';
  EXPECT_EQ(refused(cms, p.files), "signature.invalid");
  const std::string garbage = "not a signature";
  EXPECT_EQ(refused(Bytes(garbage.begin(), garbage.end()), p.files), "signature.unreadable");
  expect_only_attempts(2);
}

TEST_P(Intake, TheSignerMustBeTheLoggedInUser) {
  const auto p = export_package();
  const workflow::Actor someone{key_iin("individual"), "", "", {"applicant"}};
  EXPECT_EQ(refused(sign(p.application, test_key("first_head"), clock_->now()), p.files, someone),
            "signer.not_logged_in_user");
  expect_only_attempts(1);
}

TEST_P(Intake, AnApplicationWithTheOfficesDecisionInItIsRefusedByField) {
  auto p = export_package();
  p.application["licence"] = sample("export-licence-issued")["licence"];
  try {
    workflow::Intake(*office_).submit({sign(p.application, test_key("first_head"), clock_->now()), p.files}, std::nullopt);
    FAIL();
  } catch (const workflow::ProcedureError& e) {
    EXPECT_EQ(e.code(), "application.invalid");
    ASSERT_FALSE(e.problems().empty());
    EXPECT_EQ(e.problems()[0].path, "/licence");
    EXPECT_EQ(e.problems()[0].code, "field.decided_by_office");
  }
  expect_only_attempts(1);
}

TEST_P(Intake, AnEucNeedsTheEndUsersCoSignature) {
  Package p{sample("euc"), {}};
  p.application.erase("certificate");  // the sample is the issued certificate
  p.application["importer"]["bin"] = key_bin("first_head");
  p.application["end_user"]["bin"] = key_bin("end_user_head");
  p.attach_files();
  EXPECT_EQ(refused(p, test_key("first_head")), "signer.not_applicant");
  dsig::CmsSignOptions options;
  options.signing_time = clock_->now();
  const auto text = p.application.dump();
  auto cms = dsig::cms_sign(as_bytes(text), test_key("first_head"), options);
  cms = dsig::cms_add_signer(cms, std::nullopt, test_key("end_user_head"), options);
  EXPECT_EQ(refused(cms, p.files), "");
}

INSTANTIATE_TEST_SUITE_P(Stores, Intake, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         [](const auto& info) { return info.param == Backend::sqlite ? "sqlite" : "postgresql"; });

}  // namespace
}  // namespace qujat::test
