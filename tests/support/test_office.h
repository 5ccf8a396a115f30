// A licensing office over a given store, for the procedure's tests and the
// helper processes they kill: the real calendar, templates, rules and
// completeness tables, a fixed clock, the test PKI's officer as issuer, and
// the test PKI as the trust for applicants' signatures. Free of GoogleTest.
#pragma once

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "qujat/common/clock.h"
#include "qujat/common/bytes.h"
#include "qujat/docs/document_engine.h"
#include "qujat/dsig/cms.h"
#include "qujat/i18n/template_root.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/test_pki.h"
#include "qujat/store/database.h"
#include "qujat/workflow/issuance.h"
#include "qujat/workflow/office.h"
#include "qujat/workflow/procedure_rules.h"
#include "qujat/workflow/qualification_requirements.h"
#include "qujat/workflow/working_calendar.h"
#include "support/paths.h"

namespace qujat::test {

inline std::string sha256_hex(ByteView data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return hex_encode(ByteView(digest, length));
}

inline nlohmann::json sample(const std::string& name) {
  std::ifstream in(source_root() / "samples" / (name + ".json"));
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

// An application ready to sign: the JSON and the files its attachments name.
struct Package {
  nlohmann::json application;
  std::map<std::string, Bytes> files;

  // Gives every attachment a file of its own and names it by SHA-256.
  void attach_files() {
    files.clear();
    auto& attachments = application["attachments"];
    for (std::size_t i = 0; i < attachments.size(); ++i) {
      const std::string text = "%PDF-1.4 scan of " + attachments[i].value("type", "") + " #" + std::to_string(i);
      Bytes content(text.begin(), text.end());
      const auto hash = sha256_hex(content);
      attachments[i]["sha256"] = hash;
      files[hash] = std::move(content);
    }
  }
};

inline Bytes sign(const nlohmann::json& application, const pki::KeyStore& key, Instant at) {
  const auto text = application.dump();
  dsig::CmsSignOptions options;
  options.signing_time = at;
  return dsig::cms_sign(as_bytes(text), key, options);
}

// The parts every office shares, loaded once per process.
struct OfficeParts {
  workflow::WorkingCalendar calendar = workflow::WorkingCalendar::load(source_root() / "calendar");
  docs::DocumentEngine engine{docs::EngineOptions{std::nullopt, std::nullopt, "https://licence.test/verify/{number}?code={code}"}};
  workflow::Issuance issuance{engine};
  workflow::ProcedureRules rules = workflow::ProcedureRules::load(
      engine.templates(),
      {{model::Kind::export_licence, std::chrono::minutes(16 * 60)},
       {model::Kind::import_licence, std::chrono::minutes(16 * 60)},
       {model::Kind::general_export_licence, std::chrono::minutes(16 * 60)},
       {model::Kind::reexport_permit, std::chrono::minutes(17 * 60)}},
      std::chrono::minutes(18 * 60 + 30), {{2025, 3932}, {2026, 4325}, {2027, 4500}});
  workflow::QualificationRequirements requirements{engine.templates().path()};

  static const OfficeParts& shared() {
    static const OfficeParts parts;
    return parts;
  }
};

inline workflow::IssuerProfile test_issuer() {
  return {"Министрліков Ерлан Тестұлы",
          {"Өнеркәсіп комитеті төрағасының орынбасары", "Заместитель председателя Комитета промышленности"},
          {"Өнеркәсіп комитеті", "Комитет промышленности"}};
}

// Trust in the test PKI: both roots, both issuing CAs.
inline dsig::VerifyOptions test_trust(const pki::TestPki& pki) {
  dsig::VerifyOptions options;
  options.trust.add_anchors_from(pki.trust_dir);
  options.trust.add_intermediates_from(pki.rsa.ca);
  options.trust.add_intermediates_from(pki.gost.ca);
  return options;
}

inline std::unique_ptr<workflow::LicensingOffice> make_test_office(store::Database& db, const Clock& clock,
                                                                   const pki::KeyStore& issuer_key,
                                                                   const pki::TestPki& pki) {
  const auto& parts = OfficeParts::shared();
  return std::make_unique<workflow::LicensingOffice>(workflow::LicensingOffice{
      db, clock, parts.calendar, parts.rules, parts.issuance, &issuer_key, test_issuer(), test_trust(pki),
      &parts.requirements});
}

}  // namespace qujat::test

namespace qujat::test {

// The paths of a test PKI made earlier in `dir` (by another process).
inline pki::TestPki test_pki_at(const std::filesystem::path& dir) {
  pki::TestPki out;
  out.dir = dir.string();
  out.trust_dir = (dir / "trust").string();
  for (auto [family, name] : {std::pair{&out.gost, "gost"}, std::pair{&out.rsa, "rsa"}}) {
    const auto d = dir / name;
    family->dir = d.string();
    family->root = (d / "root.cer").string();
    family->ca = (d / "ca.cer").string();
    family->ca_key = (d / "ca.p12").string();
    family->crl = (d / "ca.crl").string();
    for (const char* holder :
         {"individual", "individual_auth", "first_head", "employee", "end_user_head", "officer", "revoked"}) {
      family->keys[holder] = (d / (std::string(holder) + ".p12")).string();
      family->certificates[holder] = (d / (std::string(holder) + ".cer")).string();
    }
  }
  return out;
}

}  // namespace qujat::test
