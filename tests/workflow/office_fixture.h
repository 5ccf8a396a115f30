// A licensing office for the procedure's tests: a throw-away test PKI (one
// per test binary), a store on SQLite or on the test PostgreSQL server, a
// fixed clock the test moves, the real calendar, templates and rules, and
// applications built from the samples with the test PKI's people as
// applicants, signed as NCALayer signs (CMS, attached).
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

#include "qujat/common/bytes.h"
#include "qujat/common/clock.h"
#include "qujat/docs/document_engine.h"
#include "qujat/dsig/cms.h"
#include "qujat/i18n/template_root.h"
#include "qujat/pki/certificate.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/revocation.h"
#include "qujat/pki/test_pki.h"
#include "qujat/store/database.h"
#include "qujat/workflow/intake.h"
#include "qujat/workflow/issuance.h"
#include "qujat/workflow/office.h"
#include "qujat/workflow/procedure.h"
#include "qujat/workflow/procedure_error.h"
#include "qujat/workflow/procedure_rules.h"
#include "qujat/workflow/qualification_requirements.h"
#include "qujat/workflow/working_calendar.h"
#include "support/paths.h"
#include "support/postgresql.h"
#include "support/test_office.h"

namespace qujat::test {

enum class Backend { sqlite, postgresql };
inline void PrintTo(Backend b, std::ostream* os) { *os << (b == Backend::sqlite ? "sqlite" : "postgresql"); }

inline constexpr const char* kTestPkiPassword = "Procedure1Test";

// The test PKI, made once per test binary; its certificates run from
// 2026-02-28 for a year.
inline const pki::TestPki& procedure_pki() {
  static const pki::TestPki made = [] {
    const auto dir = std::filesystem::temp_directory_path() / ("qujat-procedure-pki-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    pki::TestPkiOptions options;
    options.now = *parse_instant("2026-03-01T00:00:00Z");
    return pki::make_test_pki(dir.string(), kTestPkiPassword, options);
  }();
  return made;
}

inline const pki::KeyStore& test_key(const std::string& name, bool gost = false) {
  static std::map<std::string, std::unique_ptr<pki::KeyStore>> keys;
  const std::string id = (gost ? "gost:" : "rsa:") + name;
  auto& slot = keys[id];
  if (!slot) {
    const auto& family = gost ? procedure_pki().gost : procedure_pki().rsa;
    slot = std::make_unique<pki::KeyStore>(pki::load_pkcs12(family.keys.at(name), kTestPkiPassword));
  }
  return *slot;
}

// The IIN or BIN a test key's certificate carries.
inline std::string key_iin(const std::string& name) { return test_key(name).certificate.identity().iin; }
inline std::string key_bin(const std::string& name) { return test_key(name).certificate.identity().bin; }

// The export licence sample applied for by the test company (its first head signs).
inline Package export_package() {
  Package p{sample("export-licence"), {}};
  p.application.erase("licence");  // the sample carries the office's decision; an applicant's does not
  p.application["applicant"]["bin"] = key_bin("first_head");
  p.application["flags"]["first_export_to_counterparty"] = false;
  p.attach_files();
  return p;
}

// The office, with its own store and clock, per test.
class OfficeTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      QUJAT_REQUIRE_POSTGRESQL();
      schema_.emplace(::testing::UnitTest::GetInstance()->current_test_info()->name());
      database_ = store::open_database(schema_->url());
    } else {
      path_ = std::filesystem::temp_directory_path() /
              ("qujat-procedure-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) + ".db");
      remove_sqlite_files();
      database_ = store::open_database("sqlite:" + path_.string());
    }
    clock_ = std::make_unique<FixedClock>(*parse_instant("2026-03-20T10:00:00+05:00"));
    engine_ = &OfficeParts::shared().engine;
    office_ = make_test_office(*database_, *clock_, test_key("officer"), procedure_pki());
  }

  void TearDown() override {
    office_.reset();
    database_.reset();
    if (!path_.empty()) remove_sqlite_files();
  }

  // Checks revocation against CRLs issued at the clock's time (so they are current).
  void check_revocation() {
    revocation_ = std::make_unique<pki::RevocationChecker>();
    const auto dir = std::filesystem::temp_directory_path() /
                     ("qujat-procedure-crl-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(dir);
    for (const auto* family : {&procedure_pki().rsa, &procedure_pki().gost}) {
      const auto ca = pki::load_pkcs12(family->ca_key, kTestPkiPassword);
      const auto revoked = pki::Certificate::from_file(family->certificates.at("revoked"));
      const auto crl = pki::issue_crl(ca.certificate, ca.key, clock_->now() - std::chrono::hours(1),
                                      clock_->now() + std::chrono::hours(24 * 7),
                                      {{revoked.serial_hex(), clock_->now() - std::chrono::hours(2), 1}});
      const auto file = dir / (std::string(family == &procedure_pki().rsa ? "rsa" : "gost") + ".crl");
      write_file(file.string(), crl);
      revocation_->add_crl_file(file.string());
    }
    office_->signatures.revocation = revocation_.get();
  }

  void at(std::string_view instant) { clock_->set(*parse_instant(instant)); }

  store::ApplicationRecord submit(const Package& p, const pki::KeyStore& key) {
    try {
      return workflow::Intake(*office_).submit({sign(p.application, key, clock_->now()), p.files}, std::nullopt);
    } catch (const workflow::ProcedureError& e) {
      ADD_FAILURE() << "refused: " << e.code() << " " << describe(e);
      throw;
    }
  }

  static std::string describe(const workflow::ProcedureError& e) {
    std::string out;
    for (const auto& [k, v] : e.params()) out += k + "=" + v + " ";
    for (const auto& p : e.problems()) out += "\n  " + p.path + " " + p.code + " " + p.message.en;
    return out;
  }
  store::ApplicationRecord submit(const Package& p) { return submit(p, test_key("first_head")); }

  workflow::ActionOutcome act(const std::string& id, const std::string& action,
                              nlohmann::json body = nlohmann::json::object()) {
    try {
      return workflow::Procedure(*office_).act(id, {action, std::move(body), {}}, officer());
    } catch (const workflow::ProcedureError& e) {
      ADD_FAILURE() << action << " refused: " << e.code() << " " << describe(e);
      throw;
    }
  }

  // The error code an action is refused with ("" when it was carried out).
  std::string refusal(const std::string& id, const std::string& action, nlohmann::json body = nlohmann::json::object()) {
    try {
      workflow::Procedure(*office_).act(id, {action, std::move(body), {}}, officer());
    } catch (const workflow::ProcedureError& e) {
      return e.code();
    }
    return "";
  }

  static workflow::Actor officer() { return workflow::Actor{key_iin("officer"), "", "officer", {"officer"}}; }

  workflow::ApplicationView view(const std::string& id) { return workflow::Procedure(*office_).view(id, officer()); }

  std::int64_t count(const std::string& sql) {
    return database_->read([&](store::Transaction& tx) { return tx.query_row(sql)->integer(0); });
  }

  Date day(std::string_view text) { return *parse_date(text); }

  std::filesystem::path path_;
  std::optional<ScratchSchema> schema_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<FixedClock> clock_;
  std::unique_ptr<pki::RevocationChecker> revocation_;
  std::unique_ptr<workflow::LicensingOffice> office_;
  const docs::DocumentEngine* engine_ = nullptr;

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  void remove_sqlite_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
};

}  // namespace qujat::test
